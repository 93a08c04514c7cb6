/* memsource.h: a seekable cs_source over samples held in memory.
 *
 * A live dwell is captured into a memory source so the two-pass pipeline (spectrum, then decoders,
 * see src/pipeline.h) can read it twice. The buffer is allocated once at create (capacity samples)
 * and reused: cs_memsource_clear() empties it for the next dwell. A memory source holds one or
 * more segments, each with its own centre frequency, rate, time and position; reads never cross a
 * segment boundary. */
#ifndef CELLSURVEY_MEMSOURCE_H
#define CELLSURVEY_MEMSOURCE_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/source.h"

#define CS_MEMSOURCE_MAX_SEGMENTS 64

/* Create an empty memory source able to hold capacity samples. name: for messages. */
cs_status cs_memsource_create(size_t capacity, const char *name, cs_source **src, cs_err *err);

/* 1 if src came from cs_memsource_create. */
int cs_memsource_is(const cs_source *src);

/* Forget all samples and segments; the read position goes back to 0. */
void cs_memsource_clear(cs_source *src);

/* Start a new segment at the current end. info supplies center_hz, sample_rate, time_unix, lat,
 * lon, alt (other fields are ignored). CS_ERR_INPUT beyond CS_MEMSOURCE_MAX_SEGMENTS. */
cs_status cs_memsource_segment(cs_source *src, const cs_block_info *info, cs_err *err);

/* Append samples to the current segment. CS_ERR_ENV when capacity would be exceeded. */
cs_status cs_memsource_append(cs_source *src, const float complex *x, size_t n, cs_err *err);

/* Read n samples from a live source (one segment: stops early, with CS_OK, if the live source
 * starts a new segment or ends) into a new segment of mem. *got: samples captured. */
cs_status cs_memsource_capture(cs_source *mem, cs_source *live, size_t n, size_t *got, cs_err *err);

/* Samples held. */
size_t cs_memsource_size(const cs_source *src);

#endif
