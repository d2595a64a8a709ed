/**
 * The codec model of the committed spec/pdu.ksy, as the generator builds it: which fields each
 * message has, which are derived lengths, their limits. Tests derive their per-message tables from it
 * (arbitraries, the Kaitai view) so a new message type or field needs no hand-written entry.
 */
import { fileURLToPath } from "node:url";
import { buildCodecModel, type CodecModel } from "../../tools/codegen/codec-model.ts";
import { loadKsy } from "../../tools/codegen/ksy-loader.ts";

export const KSY_PATH = fileURLToPath(new URL("../../spec/pdu.ksy", import.meta.url));

export const specCodecModel: CodecModel = buildCodecModel(loadKsy(KSY_PATH));
