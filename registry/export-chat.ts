/**
 * `kgtune adapters chat`: talk to a registered adapter through its own base and the base's chat
 * template (tokenizer_config.json), greedy by default, as the model would be served.
 */
import type { BackendName, ChatMessage, GenerateOptions, GenerationModel, LoadedModel } from '../training/index.js';
import { generate, loadForGeneration, renderChat, promptIds } from '../training/index.js';
import type { AdapterDetail } from './catalog.js';
import { RegistryError } from './errors.js';
import { type AdapterSelector, findAdapter, materialize, type ServingDeps } from './export.js';

export interface ChatOptions {
  maxNewTokens?: number;
  /** Nucleus sampling instead of greedy decoding. */
  topP?: number;
  temperature?: number;
  seed?: number;
}

/**
 * The assistant's answer to `history` (ending with a user turn). The oldest turns are dropped
 * while the rendered conversation and the answer would not fit the model's context.
 */
export function chatReply(gm: GenerationModel, history: ChatMessage[], o: ChatOptions = {}): string {
  const maxNewTokens = o.maxNewTokens ?? 128;
  const ctx = gm.model.config.maxPositions;
  const system = history[0]?.role === 'system' ? [history[0]] : [];
  let turns = history.slice(system.length);
  for (;;) {
    const prompt = renderChat(gm.tokenizer, [...system, ...turns], true);
    if (promptIds(gm.tokenizer, prompt).length + maxNewTokens <= ctx) {
      const opts: GenerateOptions = o.topP ? { maxNewTokens, topP: o.topP, temperature: o.temperature, seed: o.seed } : { maxNewTokens, greedy: true };
      return generate(gm, [prompt], opts)[0]!.trim();
    }
    if (turns.length <= 1) throw new RegistryError('ExportFailed', `the message does not fit the model's context of ${ctx} tokens with room for ${maxNewTokens} new ones: shorten it or lower --max-tokens`);
    turns = turns.slice(2); // the oldest user turn and its answer
  }
}

export interface ChatSession {
  detail: AdapterDetail;
  model: GenerationModel;
  reply(history: ChatMessage[], o?: ChatOptions): string;
  close(): Promise<void>;
}

/** Load a registered adapter (version or alias) merged into its own base, ready to chat. */
export async function openChat(deps: ServingDeps, sel: AdapterSelector, o: { backend?: BackendName } = {}): Promise<ChatSession> {
  const m = await materialize(deps, await findAdapter(deps.driver, sel));
  let loaded: LoadedModel;
  try {
    loaded = await loadForGeneration({ baseDir: m.baseDir, adapterDir: m.adapterDir, merge: true, backend: o.backend });
  } catch (e) {
    await m.cleanup();
    throw e;
  }
  return {
    detail: m.detail,
    model: loaded,
    reply: (history, opts) => chatReply(loaded, history, opts),
    close: async () => {
      loaded.dispose();
      await m.cleanup();
    },
  };
}
