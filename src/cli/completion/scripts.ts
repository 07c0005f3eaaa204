/** Shell is a shell metalctl prints a completion script for. */
export type Shell = "bash" | "zsh" | "fish" | "powershell";

/** SHELLS lists the supported shells. */
export const SHELLS: readonly Shell[] = ["bash", "zsh", "fish", "powershell"];

/** installLine is the one documented line that installs completion for a shell. */
export function installLine(shell: Shell, bin = "metalctl"): string {
  switch (shell) {
    case "bash":
      return `echo 'source <(${bin} completion bash)' >> ~/.bashrc`;
    case "zsh":
      return `echo 'source <(${bin} completion zsh)' >> ~/.zshrc`;
    case "fish":
      return `${bin} completion fish > ~/.config/fish/completions/${bin}.fish`;
    case "powershell":
      return `Add-Content $PROFILE '${bin} completion powershell | Out-String | Invoke-Expression'`;
  }
}

/**
 * completionScript returns the script for a shell. Every TAB runs `BIN __complete WORDS…`, which
 * prints `value<TAB>description` lines; the scripts only hand those to the shell.
 */
export function completionScript(shell: Shell, bin = "metalctl"): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9]/g, "_")}`;
  switch (shell) {
    case "bash":
      return `# ${bin} completion for bash. Install: ${installLine("bash", bin)}
${fn}_complete() {
  local IFS=$'\\n' line
  local -a lines
  lines=($(${bin} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  COMPREPLY=()
  for line in "\${lines[@]}"; do
    COMPREPLY+=("\${line%%$'\\t'*}")
  done
}
complete -o default -F ${fn}_complete ${bin}
`;
    case "zsh":
      return `#compdef ${bin}
# ${bin} completion for zsh. Install: ${installLine("zsh", bin)}
${fn}() {
  local -a lines candidates
  local line value desc
  lines=("\${(@f)$(${bin} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    [[ -z $line ]] && continue
    value=\${line%%$'\\t'*}
    value=\${value//:/\\\\:}
    if [[ $line == *$'\\t'* ]]; then
      desc=\${line#*$'\\t'}
      candidates+=("$value:$desc")
    else
      candidates+=("$value")
    fi
  done
  _describe -t values '${bin}' candidates
}
# A fresh .zshrc has not loaded the completion system yet: load it (ignoring insecure directories).
if ! (( $+functions[compdef] )); then
  autoload -Uz compinit && compinit -i
fi
compdef ${fn} ${bin}
`;
    case "fish":
      return `# ${bin} completion for fish. Install: ${installLine("fish", bin)}
function _${fn}_complete
    set -l tokens (commandline -opc) (commandline -ct)
    ${bin} __complete $tokens[2..-1] 2>/dev/null
end
complete -c ${bin} -f -a '(_${fn}_complete)'
`;
    case "powershell":
      // Before PowerShell 7.3 (and in Legacy mode) an empty argument is dropped: it is passed as '""'.
      return `# ${bin} completion for PowerShell. Install: ${installLine("powershell", bin)}
Register-ArgumentCompleter -Native -CommandName '${bin}' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.StartOffset -lt $cursorPosition } |
        Select-Object -Skip 1 |
        ForEach-Object { $_.Extent.Text })
    if ($wordToComplete -eq '') {
        $legacy = $PSVersionTable.PSVersion -lt [version]'7.3' -or $PSNativeCommandArgumentPassing -eq 'Legacy'
        $words += if ($legacy) { '""' } else { '' }
    }
    & '${bin}' __complete @words 2>$null | ForEach-Object {
        $value, $desc = $_ -split "\\t", 2
        if ($value) {
            $text = if ($value -match '\\s') { "'" + ($value -replace "'", "''") + "'" } else { $value }
            $tip = if ($desc) { $desc } else { $value }
            [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $tip)
        }
    }
}
`;
  }
}
