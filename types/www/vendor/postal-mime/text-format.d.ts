// See postal-mime.d.ts beside this file.
export * from "../../../../node_modules/postal-mime/dist/esm/text-format.js";
