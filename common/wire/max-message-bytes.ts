/**
 * The largest envelope either side will encode or decode, in bytes; socket.io's
 * `maxHttpBufferSize` (server) and frame limits are set from this one constant
 * so the transport and the decoder never disagree.
 *
 * Why 64 MiB: socket.io buffers a whole frame in memory before we see it, so
 * the limit bounds what one peer can make the server hold. It must still carry
 * the largest model we intend to fuse. The paper's largest, VGG11 on CIFAR-10,
 * has ~9.2M float32 parameters = ~37 MB of tensor bytes plus attribution scores
 * and a few hundred bytes of framing; 64 MiB fits it with headroom for wider
 * variants. The MNIST models we run day to day are ~1.3 MB, far below.
 * (socket.io's own default, 1,000,000 bytes, silently kills the connection on a
 * 1.3 MB upload: see /work/shared/facts.md.)
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
