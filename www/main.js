// @ts-check
/** The policy playground: it runs the add-on's own engine through the add-on's own wrapper. */
import { loadEngine } from "./engine/engine.js";

const out = /** @type {HTMLElement} */ (document.getElementById("version"));
loadEngine().then(
  (engine) => (out.textContent = `engine ${engine.version}`),
  (error) => (out.textContent = `the engine could not be loaded: ${error}`),
);
