// The add-on's copy of ical.js's dist/ical.min.js (extension/vendor/VENDOR.md) has the
// package's own types, which describe the same build.
export { default } from "../../../../node_modules/ical.js/dist/types/module.js";
