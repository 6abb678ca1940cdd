// @ts-check
/**
 * What the dialog page runs, in this order: connect.js (it takes the review from the background
 * and opens the port while the page is parsed), then the dialog. `cargo xtask dist` bundles it,
 * and the modules it reaches, into the one classic script the page loads, `dialog.bundle.js`.
 */
import "./connect.js";
import "./dialog.js";
