// Ruby 3.4 for the template benches, from npm (ruby.wasm, Prism its parser): the Ruby of
// the director since v283.0, where the Ruby this machine has (3.1) parses some templates
// differently (a hash literal that repeats a key). Takes the `ruby` command line the
// benches use:
//
//   node benches/templates/ruby34/ruby.mjs [-r FILE]... SCRIPT ARGS...
//
// The host's file system is seen at / and the working directory is kept. Ruby threads do
// not exist under WASI: Timeout cannot interrupt a template here. `shim/` stands in for the
// extensions ruby.wasm lacks (socket, which ipaddr requires) and answers `Integer#size` as
// the director's 64-bit Ruby does.
import fs from "node:fs/promises";
import { WASI } from "node:wasi";
import v8 from "node:v8";
import { RubyVM } from "@ruby/wasm-wasi";

// Node 20's incremental marking crashes (a V8 fatal error) while the instance's memory
// grows; a full collection each time is slower but sound
v8.setFlagsFromString("--no-incremental-marking");

const wasm = new URL("node_modules/@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm", import.meta.url);
const module = await WebAssembly.compile(await fs.readFile(wasm));
const argv = process.argv.slice(2);
const requires = [];
while (argv[0] === "-r") {
  requires.push(argv[1]);
  argv.splice(0, 2);
}
const [script, ...args] = argv;
const wasi = new WASI({
  version: "preview1",
  returnOnExit: true,
  env: process.env,
  preopens: { "/": "/" },
  args: ["ruby"],
});
const { vm } = await RubyVM.instantiateModule({
  module,
  wasip1: wasi,
  args: ["ruby.wasm", "-EUTF-8", "-e_=0"],
});
const str = (s) => JSON.stringify(s);
const abs = (p) => new URL(p, `file://${process.cwd()}/`).pathname;
let code = 0;
try {
  const shim = new URL("shim", import.meta.url).pathname;
  vm.eval(
    `$LOAD_PATH.unshift(${str(shim)}); require 'platform64'; Dir.chdir(${str(process.cwd())}); ` +
      `ARGV.replace(${str(args)}); $0 = ${str(abs(script))}`,
  );
  const status = vm.eval(
    `begin; ${requires.map((r) => `require ${str(abs(r))}; `).join("")}load ${str(abs(script))}; 0; ` +
      `rescue SystemExit => e; e.status; ensure; $stdout.flush; $stderr.flush; end`,
  );
  code = Number(status.toString());
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  code = 1;
}
// leave at once: tearing the instance down is slow, and nothing is left to write
process.exit(code);
