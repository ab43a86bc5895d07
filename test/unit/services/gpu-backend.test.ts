import { describe, expect, it } from 'vitest';
import { cudaRequirements } from '../../../services/gpu-backend.js';

describe('the CUDA wheels a tensorflow wheel names', () => {
  it('reads the and-cuda pins from METADATA, ignoring other extras and plain requirements', () => {
    // Lines as they appear in tensorflow-2.16.2.dist-info/METADATA (and an older parenthesised form).
    const metadata = [
      'Metadata-Version: 2.1',
      'Name: tensorflow',
      'Requires-Dist: numpy <2.0.0,>=1.23.5 ; python_version <= "3.11"',
      "Requires-Dist: nvidia-cublas-cu12 ==12.3.4.1 ; extra == 'and-cuda'",
      "Requires-Dist: nvidia-cudnn-cu12 ==8.9.7.29 ; extra == 'and-cuda'",
      'Requires-Dist: nvidia-nccl-cu12 (==2.19.3) ; extra == "and-cuda"',
      "Requires-Dist: tensorflow-io-gcs-filesystem >=0.23.1 ; extra == 'gcs'",
      'Provides-Extra: and-cuda',
    ].join('\n');
    expect(cudaRequirements(metadata)).toEqual(['nvidia-cublas-cu12==12.3.4.1', 'nvidia-cudnn-cu12==8.9.7.29', 'nvidia-nccl-cu12==2.19.3']);
    expect(cudaRequirements('Name: tensorflow-cpu\nRequires-Dist: numpy >=1.23.5')).toEqual([]);
  });
});
