import { describeConcurrentSaves } from '../../src/kill/describe-concurrent-saves.js';
import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

describeKillCampaign('onnx-external');
describeConcurrentSaves('onnx-external');
