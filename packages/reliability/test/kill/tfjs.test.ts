import { describeConcurrentSaves } from '../../src/kill/describe-concurrent-saves.js';
import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

// Fixed in @reprokit/tfjs: shards go to names the current model.json does not list, and
// model.json is written last (it tore 19 of 20 kills when shards were replaced in place).
describeKillCampaign('tfjs');
describeConcurrentSaves('tfjs');
