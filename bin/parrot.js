#!/usr/bin/env node
// npm `bin` entry: registers tsx so the TypeScript sources run as they are,
// then hands over to the command dispatcher.
import { register } from "tsx/esm/api";

register();
await import("../cli/parrot.ts");
