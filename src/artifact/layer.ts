// How a directory pushed as one layer is marked, as oras-go's file store (content/file) marks it, so
// that oras unpacks what acrx pushes and acrx unpacks what oras pushes.

export const DIRECTORY_LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
/** "true" on a layer that is a tar+gzip to unpack into a directory named by its title. */
export const ANNOTATION_UNPACK = 'io.deis.oras.content.unpack';
/** The digest of the uncompressed tar, which oras checks while unpacking. */
export const ANNOTATION_CONTENT_DIGEST = 'io.deis.oras.content.digest';

/** oras unpacks a layer because of this annotation, whatever its media type says. */
export function isDirectoryLayer(annotations: Readonly<Record<string, string>> | undefined): boolean {
  return annotations?.[ANNOTATION_UNPACK] === 'true';
}
