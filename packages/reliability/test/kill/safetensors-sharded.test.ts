import { describeConcurrentSaves } from '../../src/kill/describe-concurrent-saves.js';
import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

const tear = {
  reason:
    'core writeShardedSafetensors renames each new shard over the old shard of the same name before the new index, so a kill in between leaves the old index over some new shards',
};

describeKillCampaign('safetensors-sharded', tear);
describeConcurrentSaves('safetensors-sharded', tear);
