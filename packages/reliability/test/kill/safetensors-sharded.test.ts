import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

describeKillCampaign('safetensors-sharded', {
  reason:
    'core writeShardedSafetensors renames each new shard over the old shard of the same name before the new index, so a kill in between leaves the old index over some new shards',
});
