import { describeConcurrentSaves } from '../../src/kill/describe-concurrent-saves.js';
import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

const tear = {
  reason:
    'tfjs writeTfjsArtifacts renames each new group1-shard<i>of<n>.bin over the old one before the new model.json, so a kill in between leaves the old model.json over a mix of shards',
};

describeKillCampaign('tfjs', tear);
describeConcurrentSaves('tfjs', tear);
