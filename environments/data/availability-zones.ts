/**
 * Availability zone names per region, for the regions the platform supports. An environment in a
 * region missing here is refused (validation cannot tell its zones from typos); to support a new
 * region, add its row with the source and the date it was read.
 *
 * ap-northeast-2 (Seoul), read 2026-11-26:
 * - four zones: AZ IDs apne2-az1 to apne2-az4 (AWS Regions and Availability Zones, "AWS
 *   Availability Zones", Asia Pacific table,
 *   https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html);
 * - named ap-northeast-2a to ap-northeast-2d (apne2-az1 to apne2-az4) in EC2
 *   DescribeAvailabilityZones as recorded by getmoto/moto moto/ec2/models/availability_zones_and_regions.py
 *   @ 0af643a5dbfc98797f08ee64f5be3ef8002d56ff. Seoul opened in 2016, after AWS stopped mapping
 *   zone names per account (regions introduced after November 2012 use one mapping: "AZ IDs",
 *   https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html), so the names are
 *   the same in every account.
 */
export const AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-2": ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"],
};

/** Where to add a region. */
export const AVAILABILITY_ZONES_FILE = "environments/data/availability-zones.ts";
