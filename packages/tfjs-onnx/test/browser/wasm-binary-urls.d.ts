// Vite turns an import with `?url` into the URL it serves that file at (the browser tests use it
// for the wasm binaries). TypeScript needs to know the module's shape.
declare module '*?url' {
  const url: string;
  export default url;
}
