import { defineSignal } from '@temporalio/workflow';
import { TrainingProgressSchema, type TrainingProgress } from '../training/contract.js';

export { TrainingProgressSchema, type TrainingProgress };

/** Training progress (training/contract.ts), sent by the training activity to its fineTune workflow and the pipeline. */
export const trainingProgressSignal = defineSignal<[TrainingProgress]>('trainingProgress');
