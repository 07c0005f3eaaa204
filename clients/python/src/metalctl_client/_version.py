# Written by clients/generate.ts from package.json.
__version__ = "0.1.0"
