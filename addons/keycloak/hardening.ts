/**
 * A Job that turns on brute-force protection in every realm of Keycloak, the `master` realm
 * included: Keycloak creates `master` with `bruteForceProtected: false`, and a realm file can set
 * it only for the realms it imports. Pure: no cdktf.
 *
 * The Job runs `kcadm.sh` (Keycloak's admin CLI, in the Keycloak image) against the in-cluster
 * Service as the temporary admin (its password from the generated Secret), lists the realms and
 * updates each. It is idempotent and runs again whenever its script changes (the name carries a
 * hash of it) or after its TTL removed it and the release is upgraded. Plain HTTP inside the
 * cluster is accepted: realms require TLS for external addresses only (`sslRequired: external`,
 * private addresses are not external).
 */
import { createHash } from "node:crypto";
import type { KubernetesObject } from "../../modules/helm/custom-resources";
import { CRITICAL_ADDONS_TOLERATION } from "../context";
import { BRUTE_FORCE_FAILURE_FACTOR } from "./brute-force";
import { KEYCLOAK_IMAGE } from "./chart";
import { BOOTSTRAP_ADMIN_USERNAME, KEYCLOAK_FULLNAME, KEYCLOAK_HTTP_SERVICE_PORT } from "./values";

export { BRUTE_FORCE_FAILURE_FACTOR };

/** The realm settings the Job enforces in every realm (Keycloak's RealmRepresentation fields). */
export const BRUTE_FORCE_SETTINGS = {
  bruteForceProtected: true,
  permanentLockout: false,
  failureFactor: BRUTE_FORCE_FAILURE_FACTOR,
} as const;

/** The script: log in to master, then set `BRUTE_FORCE_SETTINGS` on every realm. */
export function hardeningScript(serverUrl: string): string {
  const sets = Object.entries(BRUTE_FORCE_SETTINGS)
    .map(([k, v]) => `-s ${k}=${v}`)
    .join(" ");
  return [
    "set -eu",
    "kcadm=/opt/keycloak/bin/kcadm.sh",
    "cfg=/tmp/kcadm.config",
    `"$kcadm" config credentials --config "$cfg" --server ${serverUrl} --realm master --user "$KC_ADMIN_USER" --password "$KC_ADMIN_PASSWORD"`,
    `for realm in $("$kcadm" get realms --config "$cfg" --fields realm --format csv --noquotes); do`,
    `  "$kcadm" update "realms/$realm" --config "$cfg" ${sets}`,
    `  echo "brute-force protection on in realm $realm"`,
    "done",
  ].join("\n");
}

export interface HardeningJobInput {
  readonly namespace: string;
  /** Secret with key `password` of the temporary admin (`KC_BOOTSTRAP_ADMIN_PASSWORD`). */
  readonly bootstrapAdminSecretName: string;
}

/** The Job (its name ends with a hash of its script, so a changed script runs as a new Job). */
export function hardeningJob(input: HardeningJobInput): KubernetesObject {
  const serverUrl = `http://${KEYCLOAK_FULLNAME}-http.${input.namespace}.svc:${KEYCLOAK_HTTP_SERVICE_PORT}`;
  const script = hardeningScript(serverUrl);
  const hash = createHash("sha256").update(script).digest("hex").slice(0, 8);
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: `keycloak-realm-hardening-${hash}`, namespace: input.namespace, labels: { "app.kubernetes.io/part-of": "keycloak" } },
    spec: {
      backoffLimit: 10,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "keycloak-realm-hardening" } },
        spec: {
          restartPolicy: "OnFailure",
          automountServiceAccountToken: false,
          tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "kcadm",
              image: `${KEYCLOAK_IMAGE.repository}:${KEYCLOAK_IMAGE.tag}`,
              command: ["/bin/bash", "-c", script],
              env: [
                { name: "KC_ADMIN_USER", value: BOOTSTRAP_ADMIN_USERNAME },
                { name: "KC_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: input.bootstrapAdminSecretName, key: "password" } } },
              ],
              resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}
