/**
 * The GitHub repository whose Actions workflows plan and deploy the platform (`owner/name`, exact
 * and case-sensitive as GitHub writes it in the OIDC token's `sub` claim). The bootstrap stack of
 * each account trusts only this repository: pull requests for the plan role, the account's GitHub
 * environments for the deploy role. Replace it with your own repository.
 */
export const GITHUB_REPOSITORY = "example-org/eks-idp";
