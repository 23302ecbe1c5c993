/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seg_draw.h - the pictures of mnet-segment: a class map's colour mask,
 * its blend over the photo, and the raw map, as PNG files
 */
#ifndef MNET_TOOL_SEG_DRAW_H
#define MNET_TOOL_SEG_DRAW_H

#include <stddef.h>
#include <stdint.h>

/**
 * mnet_seg_color() - the PASCAL VOC colour of a class
 * @cls: class index, 0..255
 * @rgb: receives red, green, blue
 *
 * The VOC development kit's palette: bit k of the index's three lowest
 * bit groups sets bit 7 - k of red, green and blue (0 black, 1 dark red,
 * 2 dark green, 3 olive, ..., 15 person pink).
 */
void mnet_seg_color(int cls, uint8_t rgb[3]);

/**
 * mnet_seg_render() - the colour mask and the overlay at the photo's size
 * @map: class indices, @mw x @mh (the model's output)
 * @mw: map width
 * @mh: map height
 * @photo: RGB, @w x @h
 * @w: photo width
 * @h: photo height
 * @alpha: the mask's weight in the blend, 0..1
 * @mask: receives @w x @h RGB (each pixel its class's colour, the map
 *        scaled by nearest neighbour)
 * @overlay: receives @w x @h RGB: the photo, and where the class is not
 *           0 (background) the photo blended with the class's colour
 */
void mnet_seg_render(const uint8_t *map, int mw, int mh, const uint8_t *photo,
		     int w, int h, float alpha, uint8_t *mask,
		     uint8_t *overlay);

/**
 * mnet_seg_write_png() - write 8-bit pixels as a PNG file
 * @path: file to create
 * @px: pixels, row-major
 * @w: width
 * @h: height
 * @channels: 1 (grayscale) or 3 (RGB)
 *
 * Return: 0, or -EIO when the file cannot be written.
 */
int mnet_seg_write_png(const char *path, const uint8_t *px, int w, int h,
		       int channels);

#endif /* MNET_TOOL_SEG_DRAW_H */
