/**
 * The AWS accounts of the platform. Nonprod (dev, stg) and prod (prd) never share an account, so a
 * mistake in a nonprod credential can never touch production. Replace the ids with your own
 * (these are AWS's documentation placeholders).
 */
export const accounts = {
  nonprod: { alias: "nonprod", id: "111122223333" },
  prod: { alias: "prod", id: "444455556666" },
} as const;
