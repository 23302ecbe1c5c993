/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pose_draw.h - draw decoded poses (keypoints and skeleton) on an RGB
 * image and write it as PNG (mnet-pose -o)
 */
#ifndef MNET_TOOLS_POSE_DRAW_H
#define MNET_TOOLS_POSE_DRAW_H

#include <stdint.h>

#define MNET_POSE_KEYPOINTS 17
#define MNET_POSE_EDGES 16

/**
 * struct mnet_pose - one decoded pose, coordinates normalized to [0, 1]
 * @score: pose score
 * @ks: keypoint scores
 * @x: keypoint x, 0 left .. 1 right
 * @y: keypoint y, 0 top .. 1 bottom
 */
struct mnet_pose {
	float score;
	float ks[MNET_POSE_KEYPOINTS];
	float x[MNET_POSE_KEYPOINTS], y[MNET_POSE_KEYPOINTS];
};

/* The keypoint tree PoseNet's mid-range offsets follow, parent -> child. */
extern const int mnet_pose_edges[MNET_POSE_EDGES][2];

/* Keypoint names in PoseNet's order ("nose", "leftEye", ...). */
extern const char *const mnet_pose_names[MNET_POSE_KEYPOINTS];

/**
 * mnet_pose_draw() - draw poses on interleaved 8-bit RGB pixels
 * @rgb: w * h * 3 bytes, drawn on in place
 * @w: width
 * @h: height
 * @poses: the poses
 * @n: their number
 * @min_score: keypoints scoring lower are left out, and the edges to them
 */
void mnet_pose_draw(uint8_t *rgb, int w, int h, const struct mnet_pose *poses,
		    int n, float min_score);

/**
 * mnet_pose_write_png() - write RGB pixels as a PNG file
 * @path: file to write
 * @rgb: w * h * 3 bytes
 * @w: width
 * @h: height
 *
 * Return: 0, or -EIO (the file could not be written).
 */
int mnet_pose_write_png(const char *path, const uint8_t *rgb, int w, int h);

#endif /* MNET_TOOLS_POSE_DRAW_H */
