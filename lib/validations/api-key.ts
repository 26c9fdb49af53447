import { z } from "zod";
import { ZId } from "./enrollment";

export const ZApiKeyName = z.string().trim().min(1, "Give the key a name").max(100, "At most 100 characters");

export const ZCreateApiKeyInput = z.object({ name: ZApiKeyName, createdById: ZId.nullish() });
export type TCreateApiKeyInput = z.input<typeof ZCreateApiKeyInput>;

export const ZRevokeApiKeyInput = z.object({ id: ZId });
