// SPDX-License-Identifier: Apache-2.0
/*
 * frame_plan.c - which channels of a frame one gather fetches together
 * (plain C, shared by the AVX2 and AVX-512 converters)
 */
#include "frame/frame_conv.h"

void mnet_fconv_plan_fetch(const struct mnet_fconv *fc,
			   struct mnet_fetch_plan *fp)
{
	int c, d;

	for (c = 0; c < 3; c++) {
		fp->lead[c] = c;
		fp->span[c] = 1;
		fp->pos[c] = 0;
	}
	for (c = 0; c < 3; c++) {
		for (d = 0; d < 3; d++) {
			int lo = fc->chan_off[d];

			if (d == c || fc->plane[d] != fc->plane[c] ||
			    fc->sub[d] != fc->sub[c] ||
			    fc->pix_stride[d] != fc->pix_stride[c] ||
			    fc->row_stride[d] != fc->row_stride[c] ||
			    lo > fc->chan_off[c] ||
			    (lo == fc->chan_off[c] && d > c))
				continue;
			/* d is lower: lead with the lowest byte */
			if (fc->chan_off[c] - lo < 3 &&
			    fc->chan_off[fp->lead[c]] > lo)
				fp->lead[c] = d;
		}
	}
	for (c = 0; c < 3; c++) {
		int l = fp->lead[c];

		fp->pos[c] = fc->chan_off[c] - fc->chan_off[l];
		if (fp->pos[c] + 1 > fp->span[l])
			fp->span[l] = fp->pos[c] + 1;
	}
}
