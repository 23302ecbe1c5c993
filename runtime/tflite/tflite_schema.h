/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tflite_schema.h - TFLite schema constants used by the loader
 *
 * DOC: TFLite schema subset
 *
 * Field ids, enum values and limits from tensorflow/lite/schema/schema.fbs
 * (schema version 3) for the tables the loader reads.  A field id is the
 * field's position in its table's declaration; union fields take two ids
 * (the type, then the value).
 */
#ifndef MNET_RUNTIME_TFLITE_SCHEMA_H
#define MNET_RUNTIME_TFLITE_SCHEMA_H

#include <stdint.h>

/* table Model */
#define TFL_MODEL_VERSION 0
#define TFL_MODEL_OPERATOR_CODES 1
#define TFL_MODEL_SUBGRAPHS 2
#define TFL_MODEL_BUFFERS 4
/* table SubGraph */
#define TFL_SG_TENSORS 0
#define TFL_SG_INPUTS 1
#define TFL_SG_OUTPUTS 2
#define TFL_SG_OPERATORS 3
/* table Tensor */
#define TFL_T_SHAPE 0
#define TFL_T_TYPE 1
#define TFL_T_BUFFER 2
#define TFL_T_NAME 3
#define TFL_T_QUANTIZATION 4
#define TFL_T_SPARSITY 6
#define TFL_T_SHAPE_SIGNATURE 7
/* table QuantizationParameters */
#define TFL_Q_SCALE 2
#define TFL_Q_ZERO_POINT 3
#define TFL_Q_DETAILS_TYPE 4
#define TFL_Q_QUANTIZED_DIMENSION 6
/* table Operator */
#define TFL_OP_OPCODE_INDEX 0
#define TFL_OP_INPUTS 1
#define TFL_OP_OUTPUTS 2
#define TFL_OP_OPTIONS_TYPE 3
#define TFL_OP_OPTIONS 4
#define TFL_OP_CUSTOM_OPTIONS 5
/* table OperatorCode */
#define TFL_OC_DEPRECATED_BUILTIN_CODE 0
#define TFL_OC_CUSTOM_CODE 1
#define TFL_OC_BUILTIN_CODE 3
/* table Buffer */
#define TFL_BUF_DATA 0
#define TFL_BUF_OFFSET 1
#define TFL_BUF_SIZE 2

/* enum BuiltinOperator (the ones we map) */
enum tfl_builtin {
	TFL_ADD = 0,
	TFL_AVERAGE_POOL_2D = 1,
	TFL_CONCATENATION = 2,
	TFL_CONV_2D = 3,
	TFL_DEPTHWISE_CONV_2D = 4,
	TFL_DEQUANTIZE = 6,
	TFL_FULLY_CONNECTED = 9,
	TFL_MAX_POOL_2D = 17,
	TFL_RELU = 19,
	TFL_RELU6 = 21,
	TFL_RESHAPE = 22,
	TFL_RESIZE_BILINEAR = 23,
	TFL_SOFTMAX = 25,
	TFL_CUSTOM = 32,
	TFL_PAD = 34,
	TFL_MEAN = 40,
	TFL_SQUEEZE = 43,
	TFL_STRIDED_SLICE = 45,
	TFL_ARG_MAX = 56,
	TFL_SHAPE = 77,
	TFL_PACK = 83,
	TFL_QUANTIZE = 114,
};

/* union BuiltinOptions (type tags) */
enum tfl_options {
	TFL_OPT_NONE = 0,
	TFL_OPT_CONV2D = 1,
	TFL_OPT_DEPTHWISE_CONV2D = 2,
	TFL_OPT_POOL2D = 5,
	TFL_OPT_FULLY_CONNECTED = 8,
	TFL_OPT_SOFTMAX = 9,
	TFL_OPT_CONCATENATION = 10,
	TFL_OPT_ADD = 11,
	TFL_OPT_RESIZE_BILINEAR = 15,
	TFL_OPT_RESHAPE = 17,
	TFL_OPT_REDUCER = 27,
	TFL_OPT_SQUEEZE = 30,
	TFL_OPT_STRIDED_SLICE = 32,
	TFL_OPT_ARG_MAX = 40,
};

/* enum TensorType */
enum tfl_type {
	TFL_FLOAT32 = 0,
	TFL_FLOAT16 = 1,
	TFL_INT32 = 2,
	TFL_UINT8 = 3,
	TFL_INT64 = 4,
	TFL_INT16 = 7,
	TFL_INT8 = 9,
};

/* enum Padding */
#define TFL_PAD_SAME 0
#define TFL_PAD_VALID 1

/* enum ActivationFunctionType */
#define TFL_ACT_NONE 0
#define TFL_ACT_RELU 1
#define TFL_ACT_RELU_N1_TO_1 2
#define TFL_ACT_RELU6 3

/* Limits on what a file may declare before we allocate anything for it. */
#define TFL_MAX_TENSORS 65536
#define TFL_MAX_OPS 8192
#define TFL_MAX_FILE_BYTES ((uint64_t)4 << 30)

/**
 * mnet_tflite_op_name() - schema name of a builtin operator code
 * @code: BuiltinOperator value
 *
 * Return: the name ("CONV_2D"), or NULL for a code past the table.
 */
const char *mnet_tflite_op_name(int32_t code);

#endif /* MNET_RUNTIME_TFLITE_SCHEMA_H */
