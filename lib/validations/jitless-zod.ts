/**
 * zod 4 probes whether it may compile parsers with `Function("")`; under
 * the app's Content-Security-Policy (no 'unsafe-eval') the probe is a
 * reported violation in every browser that parses a form. jitless skips the
 * probe and parses the same way, without generated code.
 */
import { z } from "zod";

z.config({ jitless: true });
