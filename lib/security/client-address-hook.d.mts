import type { IncomingMessage } from "node:http";

export declare const HOOK_FLAG: unique symbol;
export declare function trustedProxyHops(value?: string): number;
export declare function resolveClientAddress(req: IncomingMessage, hops: number): string | undefined;
export declare function stampClientAddress(req: IncomingMessage, hops: number): void;
export declare function installClientAddressHook(hops?: number): void;
