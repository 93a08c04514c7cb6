/* viterbi.h: soft-decision Viterbi decoder for rate 1/n feedforward convolutional codes
 * (constraint length 4 <= K <= 7, n <= 3), zero-terminated or tail-biting. Serves GSM (TS 45.003 4.1.3,
 * K=5, G0=23, G1=33 octal) and LTE (TS 36.212 5.1.3.1, K=7 tail-biting, 133/171/165 octal).
 *
 * Generators are written as in the specs' octal form with the most significant bit the
 * coefficient of D^0 (the current input bit). Soft inputs are log-likelihood ratios
 * log(P(bit=0)/P(bit=1)): positive means 0, magnitude is confidence, 0 is an erasure. */
#ifndef CS_DSP_FEC_VITERBI_H
#define CS_DSP_FEC_VITERBI_H

#include <stdint.h>

typedef struct viterbi_s *viterbi;

/* k: constraint length (4..7); n: outputs per input bit (1..3); polys: n generators;
 * max_bits: the longest input (information + tail) ever decoded. Every generator must tap both the
 * current and the oldest bit (MSB and LSB set, as in GSM's and LTE's codes). NULL on bad
 * arguments. */
viterbi viterbi_create(unsigned k, unsigned n, const unsigned *polys, unsigned max_bits);
void viterbi_destroy(viterbi q);

/* Encode len input bits (0/1 bytes) into n*len coded bits, output-interleaved
 * (c[n*i + j] = output j for input i). tail_biting: start in the state of the last k-1 bits;
 * otherwise start in state 0 (the caller appends k-1 zero tail bits to terminate). */
void viterbi_encode(viterbi q, const uint8_t *in, unsigned len, int tail_biting, uint8_t *out);

/* Decode n*len soft values into len bits (0/1 bytes). Zero-terminated: the path ends in state 0
 * and the tail bits are included in len and in the output. Tail-biting: decoded by wrapping the
 * block around, the best path's start and end states agree. Returns the path metric margin (a
 * confidence, larger is better). */
float viterbi_decode(viterbi q, const float *soft, unsigned len, int tail_biting, uint8_t *out);

#endif
