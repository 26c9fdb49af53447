/**
 * A local Inngest executor: drives an app's real `serve()` handler over the
 * SDK's public protocol, for tests and offline development (the Inngest Dev
 * Server cannot be installed here).
 */
export { LocalExecutor } from "./executor";
export type { LocalExecutorOptions } from "./options";
export { ManualClock, systemClock, type Clock } from "./clock";
export { nextCronTime, parseCron } from "./cron";
export { parseDuration } from "./duration";
export { evaluateCel, celMatches, celKeyString, celCompiles } from "./cel";
export { hashStepId } from "./ids";
export { tableBackoffMs, worstCaseBackoffMs } from "./backoff";
export { generateEventKey, generateSigningKey, hashSigningKey, sameSecret } from "./keys";
export { firstRefusal, logSafe, refuseCrossSite, refuseForeignHost, refuseNonJson, type Refusal } from "./request-guard";
export { handleEventApiRequest, type EventApiServer } from "./event-api";
export { canonicalJson, signBody } from "./transport";
export type {
  CancelRule,
  EventPayload,
  FunctionConfig,
  OutgoingOp,
  RunInfo,
  RunStatus,
  ServeHandlers,
  StepRecord,
  StoredEvent,
  Trigger,
} from "./types";
