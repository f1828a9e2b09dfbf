import { describeConcurrentSaves } from '../../src/kill/describe-concurrent-saves.js';
import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

describeKillCampaign('safetensors-sharded');
describeConcurrentSaves('safetensors-sharded', {
  reason:
    'core documents two sharded saves into one folder at once as unsupported; the reader then refuses the mix with SAFETENSORS_INDEX_MISMATCH',
  refusedWith: 'SAFETENSORS_INDEX_MISMATCH',
});
