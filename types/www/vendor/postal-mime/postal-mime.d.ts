// The playground's copy of postal-mime's browser build (cargo xtask www copies
// node_modules/postal-mime/dist/esm/ to dist/www/vendor/postal-mime/) has the package's own types.
export { default } from "../../../../node_modules/postal-mime/dist/esm/postal-mime.js";
export * from "../../../../node_modules/postal-mime/dist/esm/postal-mime.js";
