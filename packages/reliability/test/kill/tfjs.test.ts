import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

describeKillCampaign('tfjs', {
  reason:
    'tfjs writeTfjsArtifacts renames each new group1-shard<i>of<n>.bin over the old one before the new model.json, so a kill in between leaves the old model.json over a mix of shards',
});
