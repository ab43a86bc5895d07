/**
 * Typed errors of the synthesis stage. All are permanent (bad options, bad templates, an unusable
 * snapshot): the activity turns them into non-retryable failures using `type`.
 */
import { KgtuneError } from '../configs/pure/errors.js';
export class SynthesisError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return false; }
  readonly type: 'InvalidSynthesisOptions' | 'InvalidTemplates' | 'EmptySnapshot' | 'InvalidExport';
  constructor(type: SynthesisError['type'], message: string) {
    super(message);
    this.name = 'SynthesisError';
    this.type = type;
  }
}
