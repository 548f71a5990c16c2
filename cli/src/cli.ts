// `settlescan <command>`: the command-line entry: `verify` a response, `archive export` an index's blobs.
import { ARCHIVE_USAGE, runArchive } from "./archive";
import { runVerify, VERIFY_USAGE } from "./verify";

const USAGE = `Usage: settlescan verify <response.json> [options]   (settlescan verify --help for the options)
       settlescan archive export --api <url> --dir <directory>`;

const [command, ...args] = process.argv.slice(2);
const io = {
  stdout: (text: string) => process.stdout.write(`${text}\n`),
  stderr: (text: string) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  env: process.env,
};

if (command === "verify") {
  process.exitCode = await runVerify(args, io);
} else if (command === "archive") {
  process.exitCode = await runArchive(args, io);
} else if (command === "--help" || command === "-h" || command === "help") {
  io.stdout(`${USAGE}\n\n${VERIFY_USAGE}\n\n${ARCHIVE_USAGE}`);
} else {
  io.stderr(command === undefined ? USAGE : `Unknown command "${command}".\n${USAGE}`);
  process.exitCode = 2;
}
