#!/usr/bin/env node
import { createProgram, runProgram } from './program';
import { runCommand } from './run-command';

// `plumbline-agent run` alone, bundled on its own (dist/daemon.js): see run-command.ts.
const program = createProgram();
program.addCommand(runCommand());
await runProgram(program);
