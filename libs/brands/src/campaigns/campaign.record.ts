export interface CampaignRecord {
  id: string;
  brandId: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  createdAt: Date;
}
