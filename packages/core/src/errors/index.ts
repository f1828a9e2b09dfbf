export { type ErrorLocation, ReprokitError, type ReprokitErrorOptions } from './reprokit-error.js';
