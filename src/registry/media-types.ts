// Manifest and config media types (OCI image-spec, Docker image manifest v2 schema 2).

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

// Artifact manifests of the OCI 1.1 release candidates and of ORAS, which ACR stored.
const OCI_ARTIFACT_MANIFEST = 'application/vnd.oci.artifact.manifest.v1+json';
const ORAS_ARTIFACT_MANIFEST = 'application/vnd.cncf.oras.artifact.manifest.v1+json';

// Sent on every manifest request: without the OCI types some registries answer 404 or convert the
// manifest; the artifact types and a final wildcard (as az sends) get whatever else a registry stores.
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST, OCI_ARTIFACT_MANIFEST, ORAS_ARTIFACT_MANIFEST, '*/*'].join(', ');

export const IMAGE_CONFIG_TYPES = new Set([OCI_CONFIG, DOCKER_CONFIG]);
export const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST]);
