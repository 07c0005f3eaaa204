// Loaded with require() by the single executable's entry: an ES module may import(), which the entry
// cannot while it runs from V8's code cache, so this starts bin/run.js for it.
/** launch imports the module at `url` (bin/run.js of the extracted package). */
export const launch = (url) => import(url);
