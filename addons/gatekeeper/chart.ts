import type { ChartPin } from "../../modules/helm/helm-addon";

/** OPA Gatekeeper (admission policies and their audit); images from Docker Hub `openpolicyagent/`. */
export const GATEKEEPER_CHART: ChartPin = {
  repository: "https://open-policy-agent.github.io/gatekeeper/charts",
  chart: "gatekeeper",
  version: "3.23.0",
  source: "https://github.com/open-policy-agent/gatekeeper charts/gatekeeper@cdf332c3f2762c616d4b6f433712a8d7ed62b3d8 (app v3.23.0)",
};
