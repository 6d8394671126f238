/** A hunt worker process (forked by src/hunt/run.ts): runs one block per message and sends its result back. */
import { runBlock, type BlockTask, type HuntConfig } from './search.js';

process.on('message', (msg: { task: BlockTask; cfg: HuntConfig }) => {
  process.send!(runBlock(msg.task, msg.cfg));
});
