/**
 * Trust between GitHub Actions and AWS: the subject claims a workflow job's OIDC token carries and
 * the exact-match trust statement a role needs to accept it. Pure: no cdktf.
 */
import { STS_AUDIENCE } from "../irsa/irsa-role";
import type { TrustStatement } from "../irsa/policy-document";

/** Issuer host of GitHub Actions' OIDC tokens (also the prefix of the condition keys). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Issuer URL of GitHub Actions' OIDC tokens, as the IAM OIDC provider registers it. */
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;

/** `owner/name`: GitHub's rules for owner (39 characters, letters, digits, `-`) and repository names. */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?\/[A-Za-z0-9._-]{1,100}$/;

/** A GitHub environment name this code accepts: no wildcard, no `:` (the claim's separator). */
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;

/**
 * Checks an `owner/name` repository (no wildcards) and returns it.
 * @throws Error when it is not one exact repository
 */
export function githubRepository(repository: string): string {
  if (!REPOSITORY.test(repository) || repository.endsWith("/.") || repository.endsWith("/..")) {
    throw new Error(`GitHub repository must be one exact "owner/name" (no wildcards), got "${repository}"`);
  }
  return repository;
}

/** The `sub` claim of a job run for a `pull_request` event (no `environment:` on the job). */
export function pullRequestSubject(repository: string): string {
  return `repo:${githubRepository(repository)}:pull_request`;
}

/**
 * The `sub` claim of a job run for a push to `branch` (no `environment:` on the job): the deploy
 * workflow's plan jobs on `main`, whose code was reviewed and merged.
 */
export function branchSubject(repository: string, branch: string): string {
  if (!ENVIRONMENT.test(branch)) throw new Error(`branch must be a plain name, got "${branch}"`);
  return `repo:${githubRepository(repository)}:ref:refs/heads/${branch}`;
}

/**
 * The `sub` claim of a job that names a GitHub environment (`environment: <name>`), whatever the
 * event: the environment's protection rules (reviewers, branches) are what guard it.
 * @throws Error when the environment name is not a plain name
 */
export function environmentSubject(repository: string, environment: string): string {
  if (!ENVIRONMENT.test(environment)) {
    throw new Error(`GitHub environment must be a plain name (letters, digits, . _ -), got "${environment}"`);
  }
  return `repo:${githubRepository(repository)}:environment:${environment}`;
}

/**
 * The GitHub environment whose jobs may plan a prod environment's stacks, and every environment's
 * add-ons stack, from a pull request (`<env>-plan`): its protection rules (required reviewers) hold
 * the job before it gets the plan role (which reads the add-on namespaces' Secrets).
 */
export function planEnvironmentName(environment: string): string {
  return `${environment}-plan`;
}

/**
 * The trust statement of a role assumed from GitHub Actions: the repository's OIDC provider, the
 * STS audience and one of the exact `sub` claims, all `StringEquals` (no `StringLike`, no
 * wildcards).
 *
 * @param providerArn ARN of the account's `token.actions.githubusercontent.com` provider
 * @param subjects exact `sub` claims (see `pullRequestSubject`, `environmentSubject`)
 * @throws Error when there is no subject or one holds a wildcard
 */
export function githubTrustStatement(providerArn: string, subjects: readonly string[]): TrustStatement {
  const unique = [...new Set(subjects)].sort();
  if (unique.length === 0) throw new Error("a GitHub Actions trust needs at least one subject");
  for (const subject of unique) {
    if (/[*?]/.test(subject) || !subject.startsWith("repo:")) {
      throw new Error(`GitHub Actions subjects must be exact "repo:..." claims, got "${subject}"`);
    }
  }
  return {
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: ["sts:AssumeRoleWithWebIdentity"],
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: unique.length === 1 ? unique[0]! : unique,
      },
    },
  };
}
