import { describeKillCampaign } from '../../src/kill/describe-kill-campaign.js';

describeKillCampaign('safetensors');
