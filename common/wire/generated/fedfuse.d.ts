import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace fedfuse. */
export namespace fedfuse {

    /** Namespace v1. */
    namespace v1 {

        /** DType enum. */
        enum DType {
            DTYPE_UNSPECIFIED = 0,
            DTYPE_FLOAT32 = 1
        }

        /** Properties of a Tensor. */
        interface ITensor {

            /** Tensor name */
            name?: (string|null);

            /** Tensor shape */
            shape?: (number[]|null);

            /** Tensor dtype */
            dtype?: (fedfuse.v1.DType|null);

            /** Tensor data */
            data?: (Uint8Array|null);
        }

        /** Represents a Tensor. */
        class Tensor implements ITensor {

            /**
             * Constructs a new Tensor.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ITensor);

            /** Tensor name. */
            public name: string;

            /** Tensor shape. */
            public shape: number[];

            /** Tensor dtype. */
            public dtype: fedfuse.v1.DType;

            /** Tensor data. */
            public data: Uint8Array;

            /**
             * Creates a new Tensor instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Tensor instance
             */
            public static create(properties?: fedfuse.v1.ITensor): fedfuse.v1.Tensor;

            /**
             * Encodes the specified Tensor message. Does not implicitly {@link fedfuse.v1.Tensor.verify|verify} messages.
             * @param message Tensor message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.ITensor, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Tensor message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Tensor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Tensor;

            /**
             * Gets the default type url for Tensor
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an ArrayRecord. */
        interface IArrayRecord {

            /** ArrayRecord name */
            name?: (string|null);

            /** ArrayRecord tensors */
            tensors?: (fedfuse.v1.ITensor[]|null);
        }

        /** Represents an ArrayRecord. */
        class ArrayRecord implements IArrayRecord {

            /**
             * Constructs a new ArrayRecord.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IArrayRecord);

            /** ArrayRecord name. */
            public name: string;

            /** ArrayRecord tensors. */
            public tensors: fedfuse.v1.ITensor[];

            /**
             * Creates a new ArrayRecord instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ArrayRecord instance
             */
            public static create(properties?: fedfuse.v1.IArrayRecord): fedfuse.v1.ArrayRecord;

            /**
             * Encodes the specified ArrayRecord message. Does not implicitly {@link fedfuse.v1.ArrayRecord.verify|verify} messages.
             * @param message ArrayRecord message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IArrayRecord, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ArrayRecord message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ArrayRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ArrayRecord;

            /**
             * Gets the default type url for ArrayRecord
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a NumberList. */
        interface INumberList {

            /** NumberList values */
            values?: (number[]|null);
        }

        /** Represents a NumberList. */
        class NumberList implements INumberList {

            /**
             * Constructs a new NumberList.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.INumberList);

            /** NumberList values. */
            public values: number[];

            /**
             * Creates a new NumberList instance using the specified properties.
             * @param [properties] Properties to set
             * @returns NumberList instance
             */
            public static create(properties?: fedfuse.v1.INumberList): fedfuse.v1.NumberList;

            /**
             * Encodes the specified NumberList message. Does not implicitly {@link fedfuse.v1.NumberList.verify|verify} messages.
             * @param message NumberList message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.INumberList, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a NumberList message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns NumberList
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.NumberList;

            /**
             * Gets the default type url for NumberList
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ConfigEntry. */
        interface IConfigEntry {

            /** ConfigEntry key */
            key?: (string|null);

            /** ConfigEntry number */
            number?: (number|null);

            /** ConfigEntry text */
            text?: (string|null);

            /** ConfigEntry flag */
            flag?: (boolean|null);

            /** ConfigEntry numbers */
            numbers?: (fedfuse.v1.INumberList|null);
        }

        /** Represents a ConfigEntry. */
        class ConfigEntry implements IConfigEntry {

            /**
             * Constructs a new ConfigEntry.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IConfigEntry);

            /** ConfigEntry key. */
            public key: string;

            /** ConfigEntry number. */
            public number?: (number|null);

            /** ConfigEntry text. */
            public text?: (string|null);

            /** ConfigEntry flag. */
            public flag?: (boolean|null);

            /** ConfigEntry numbers. */
            public numbers?: (fedfuse.v1.INumberList|null);

            /** ConfigEntry value. */
            public value?: ("number"|"text"|"flag"|"numbers");

            /**
             * Creates a new ConfigEntry instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConfigEntry instance
             */
            public static create(properties?: fedfuse.v1.IConfigEntry): fedfuse.v1.ConfigEntry;

            /**
             * Encodes the specified ConfigEntry message. Does not implicitly {@link fedfuse.v1.ConfigEntry.verify|verify} messages.
             * @param message ConfigEntry message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IConfigEntry, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigEntry message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ConfigEntry
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ConfigEntry;

            /**
             * Gets the default type url for ConfigEntry
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ConfigRecord. */
        interface IConfigRecord {

            /** ConfigRecord name */
            name?: (string|null);

            /** ConfigRecord entries */
            entries?: (fedfuse.v1.IConfigEntry[]|null);
        }

        /** Represents a ConfigRecord. */
        class ConfigRecord implements IConfigRecord {

            /**
             * Constructs a new ConfigRecord.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IConfigRecord);

            /** ConfigRecord name. */
            public name: string;

            /** ConfigRecord entries. */
            public entries: fedfuse.v1.IConfigEntry[];

            /**
             * Creates a new ConfigRecord instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConfigRecord instance
             */
            public static create(properties?: fedfuse.v1.IConfigRecord): fedfuse.v1.ConfigRecord;

            /**
             * Encodes the specified ConfigRecord message. Does not implicitly {@link fedfuse.v1.ConfigRecord.verify|verify} messages.
             * @param message ConfigRecord message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IConfigRecord, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigRecord message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ConfigRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ConfigRecord;

            /**
             * Gets the default type url for ConfigRecord
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a RecordDict. */
        interface IRecordDict {

            /** RecordDict arrays */
            arrays?: (fedfuse.v1.IArrayRecord[]|null);

            /** RecordDict configs */
            configs?: (fedfuse.v1.IConfigRecord[]|null);
        }

        /** Represents a RecordDict. */
        class RecordDict implements IRecordDict {

            /**
             * Constructs a new RecordDict.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IRecordDict);

            /** RecordDict arrays. */
            public arrays: fedfuse.v1.IArrayRecord[];

            /** RecordDict configs. */
            public configs: fedfuse.v1.IConfigRecord[];

            /**
             * Creates a new RecordDict instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RecordDict instance
             */
            public static create(properties?: fedfuse.v1.IRecordDict): fedfuse.v1.RecordDict;

            /**
             * Encodes the specified RecordDict message. Does not implicitly {@link fedfuse.v1.RecordDict.verify|verify} messages.
             * @param message RecordDict message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IRecordDict, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RecordDict message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns RecordDict
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.RecordDict;

            /**
             * Gets the default type url for RecordDict
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Activation enum. */
        enum Activation {
            ACTIVATION_UNSPECIFIED = 0,
            ACTIVATION_RELU = 1,
            ACTIVATION_LINEAR = 2
        }

        /** Padding enum. */
        enum Padding {
            PADDING_UNSPECIFIED = 0,
            PADDING_VALID = 1,
            PADDING_SAME = 2
        }

        /** OutputActivation enum. */
        enum OutputActivation {
            OUTPUT_ACTIVATION_UNSPECIFIED = 0,
            OUTPUT_ACTIVATION_SOFTMAX = 1,
            OUTPUT_ACTIVATION_LINEAR = 2
        }

        /** Properties of a DenseLayer. */
        interface IDenseLayer {

            /** DenseLayer units */
            units?: (number|null);

            /** DenseLayer activation */
            activation?: (fedfuse.v1.Activation|null);

            /** DenseLayer useBias */
            useBias?: (boolean|null);
        }

        /** Represents a DenseLayer. */
        class DenseLayer implements IDenseLayer {

            /**
             * Constructs a new DenseLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IDenseLayer);

            /** DenseLayer units. */
            public units: number;

            /** DenseLayer activation. */
            public activation: fedfuse.v1.Activation;

            /** DenseLayer useBias. */
            public useBias: boolean;

            /**
             * Creates a new DenseLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DenseLayer instance
             */
            public static create(properties?: fedfuse.v1.IDenseLayer): fedfuse.v1.DenseLayer;

            /**
             * Encodes the specified DenseLayer message. Does not implicitly {@link fedfuse.v1.DenseLayer.verify|verify} messages.
             * @param message DenseLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IDenseLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DenseLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DenseLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.DenseLayer;

            /**
             * Gets the default type url for DenseLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Conv2dLayer. */
        interface IConv2dLayer {

            /** Conv2dLayer filters */
            filters?: (number|null);

            /** Conv2dLayer kernelSize */
            kernelSize?: (number|null);

            /** Conv2dLayer strides */
            strides?: (number|null);

            /** Conv2dLayer padding */
            padding?: (fedfuse.v1.Padding|null);

            /** Conv2dLayer activation */
            activation?: (fedfuse.v1.Activation|null);

            /** Conv2dLayer useBias */
            useBias?: (boolean|null);
        }

        /** Represents a Conv2dLayer. */
        class Conv2dLayer implements IConv2dLayer {

            /**
             * Constructs a new Conv2dLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IConv2dLayer);

            /** Conv2dLayer filters. */
            public filters: number;

            /** Conv2dLayer kernelSize. */
            public kernelSize: number;

            /** Conv2dLayer strides. */
            public strides: number;

            /** Conv2dLayer padding. */
            public padding: fedfuse.v1.Padding;

            /** Conv2dLayer activation. */
            public activation: fedfuse.v1.Activation;

            /** Conv2dLayer useBias. */
            public useBias: boolean;

            /**
             * Creates a new Conv2dLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Conv2dLayer instance
             */
            public static create(properties?: fedfuse.v1.IConv2dLayer): fedfuse.v1.Conv2dLayer;

            /**
             * Encodes the specified Conv2dLayer message. Does not implicitly {@link fedfuse.v1.Conv2dLayer.verify|verify} messages.
             * @param message Conv2dLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IConv2dLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Conv2dLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Conv2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Conv2dLayer;

            /**
             * Gets the default type url for Conv2dLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a MaxPool2dLayer. */
        interface IMaxPool2dLayer {

            /** MaxPool2dLayer poolSize */
            poolSize?: (number|null);

            /** MaxPool2dLayer strides */
            strides?: (number|null);

            /** MaxPool2dLayer padding */
            padding?: (fedfuse.v1.Padding|null);
        }

        /** Represents a MaxPool2dLayer. */
        class MaxPool2dLayer implements IMaxPool2dLayer {

            /**
             * Constructs a new MaxPool2dLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IMaxPool2dLayer);

            /** MaxPool2dLayer poolSize. */
            public poolSize: number;

            /** MaxPool2dLayer strides. */
            public strides: number;

            /** MaxPool2dLayer padding. */
            public padding: fedfuse.v1.Padding;

            /**
             * Creates a new MaxPool2dLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MaxPool2dLayer instance
             */
            public static create(properties?: fedfuse.v1.IMaxPool2dLayer): fedfuse.v1.MaxPool2dLayer;

            /**
             * Encodes the specified MaxPool2dLayer message. Does not implicitly {@link fedfuse.v1.MaxPool2dLayer.verify|verify} messages.
             * @param message MaxPool2dLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IMaxPool2dLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MaxPool2dLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns MaxPool2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.MaxPool2dLayer;

            /**
             * Gets the default type url for MaxPool2dLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a FlattenLayer. */
        interface IFlattenLayer {
        }

        /** Represents a FlattenLayer. */
        class FlattenLayer implements IFlattenLayer {

            /**
             * Constructs a new FlattenLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IFlattenLayer);

            /**
             * Creates a new FlattenLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns FlattenLayer instance
             */
            public static create(properties?: fedfuse.v1.IFlattenLayer): fedfuse.v1.FlattenLayer;

            /**
             * Encodes the specified FlattenLayer message. Does not implicitly {@link fedfuse.v1.FlattenLayer.verify|verify} messages.
             * @param message FlattenLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IFlattenLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a FlattenLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns FlattenLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.FlattenLayer;

            /**
             * Gets the default type url for FlattenLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DepthwiseConv2dLayer. */
        interface IDepthwiseConv2dLayer {

            /** DepthwiseConv2dLayer kernelSize */
            kernelSize?: (number|null);

            /** DepthwiseConv2dLayer strides */
            strides?: (number|null);

            /** DepthwiseConv2dLayer padding */
            padding?: (fedfuse.v1.Padding|null);

            /** DepthwiseConv2dLayer activation */
            activation?: (fedfuse.v1.Activation|null);

            /** DepthwiseConv2dLayer useBias */
            useBias?: (boolean|null);
        }

        /** Represents a DepthwiseConv2dLayer. */
        class DepthwiseConv2dLayer implements IDepthwiseConv2dLayer {

            /**
             * Constructs a new DepthwiseConv2dLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IDepthwiseConv2dLayer);

            /** DepthwiseConv2dLayer kernelSize. */
            public kernelSize: number;

            /** DepthwiseConv2dLayer strides. */
            public strides: number;

            /** DepthwiseConv2dLayer padding. */
            public padding: fedfuse.v1.Padding;

            /** DepthwiseConv2dLayer activation. */
            public activation: fedfuse.v1.Activation;

            /** DepthwiseConv2dLayer useBias. */
            public useBias: boolean;

            /**
             * Creates a new DepthwiseConv2dLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DepthwiseConv2dLayer instance
             */
            public static create(properties?: fedfuse.v1.IDepthwiseConv2dLayer): fedfuse.v1.DepthwiseConv2dLayer;

            /**
             * Encodes the specified DepthwiseConv2dLayer message. Does not implicitly {@link fedfuse.v1.DepthwiseConv2dLayer.verify|verify} messages.
             * @param message DepthwiseConv2dLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IDepthwiseConv2dLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DepthwiseConv2dLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DepthwiseConv2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.DepthwiseConv2dLayer;

            /**
             * Gets the default type url for DepthwiseConv2dLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an AvgPool2dLayer. */
        interface IAvgPool2dLayer {

            /** AvgPool2dLayer poolSize */
            poolSize?: (number|null);

            /** AvgPool2dLayer strides */
            strides?: (number|null);

            /** AvgPool2dLayer padding */
            padding?: (fedfuse.v1.Padding|null);
        }

        /** Represents an AvgPool2dLayer. */
        class AvgPool2dLayer implements IAvgPool2dLayer {

            /**
             * Constructs a new AvgPool2dLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IAvgPool2dLayer);

            /** AvgPool2dLayer poolSize. */
            public poolSize: number;

            /** AvgPool2dLayer strides. */
            public strides: number;

            /** AvgPool2dLayer padding. */
            public padding: fedfuse.v1.Padding;

            /**
             * Creates a new AvgPool2dLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AvgPool2dLayer instance
             */
            public static create(properties?: fedfuse.v1.IAvgPool2dLayer): fedfuse.v1.AvgPool2dLayer;

            /**
             * Encodes the specified AvgPool2dLayer message. Does not implicitly {@link fedfuse.v1.AvgPool2dLayer.verify|verify} messages.
             * @param message AvgPool2dLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IAvgPool2dLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AvgPool2dLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AvgPool2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.AvgPool2dLayer;

            /**
             * Gets the default type url for AvgPool2dLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GlobalAvgPool2dLayer. */
        interface IGlobalAvgPool2dLayer {
        }

        /** Represents a GlobalAvgPool2dLayer. */
        class GlobalAvgPool2dLayer implements IGlobalAvgPool2dLayer {

            /**
             * Constructs a new GlobalAvgPool2dLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IGlobalAvgPool2dLayer);

            /**
             * Creates a new GlobalAvgPool2dLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GlobalAvgPool2dLayer instance
             */
            public static create(properties?: fedfuse.v1.IGlobalAvgPool2dLayer): fedfuse.v1.GlobalAvgPool2dLayer;

            /**
             * Encodes the specified GlobalAvgPool2dLayer message. Does not implicitly {@link fedfuse.v1.GlobalAvgPool2dLayer.verify|verify} messages.
             * @param message GlobalAvgPool2dLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IGlobalAvgPool2dLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GlobalAvgPool2dLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GlobalAvgPool2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.GlobalAvgPool2dLayer;

            /**
             * Gets the default type url for GlobalAvgPool2dLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ReshapeLayer. */
        interface IReshapeLayer {

            /** ReshapeLayer targetShape */
            targetShape?: (number[]|null);
        }

        /** Represents a ReshapeLayer. */
        class ReshapeLayer implements IReshapeLayer {

            /**
             * Constructs a new ReshapeLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IReshapeLayer);

            /** ReshapeLayer targetShape. */
            public targetShape: number[];

            /**
             * Creates a new ReshapeLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ReshapeLayer instance
             */
            public static create(properties?: fedfuse.v1.IReshapeLayer): fedfuse.v1.ReshapeLayer;

            /**
             * Encodes the specified ReshapeLayer message. Does not implicitly {@link fedfuse.v1.ReshapeLayer.verify|verify} messages.
             * @param message ReshapeLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IReshapeLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ReshapeLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ReshapeLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ReshapeLayer;

            /**
             * Gets the default type url for ReshapeLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a BatchNormLayer. */
        interface IBatchNormLayer {

            /** BatchNormLayer epsilon */
            epsilon?: (number|null);

            /** BatchNormLayer momentum */
            momentum?: (number|null);

            /** BatchNormLayer center */
            center?: (boolean|null);

            /** BatchNormLayer scale */
            scale?: (boolean|null);
        }

        /** Represents a BatchNormLayer. */
        class BatchNormLayer implements IBatchNormLayer {

            /**
             * Constructs a new BatchNormLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IBatchNormLayer);

            /** BatchNormLayer epsilon. */
            public epsilon: number;

            /** BatchNormLayer momentum. */
            public momentum: number;

            /** BatchNormLayer center. */
            public center: boolean;

            /** BatchNormLayer scale. */
            public scale: boolean;

            /**
             * Creates a new BatchNormLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns BatchNormLayer instance
             */
            public static create(properties?: fedfuse.v1.IBatchNormLayer): fedfuse.v1.BatchNormLayer;

            /**
             * Encodes the specified BatchNormLayer message. Does not implicitly {@link fedfuse.v1.BatchNormLayer.verify|verify} messages.
             * @param message BatchNormLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IBatchNormLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a BatchNormLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns BatchNormLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.BatchNormLayer;

            /**
             * Gets the default type url for BatchNormLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DropoutLayer. */
        interface IDropoutLayer {

            /** DropoutLayer rate */
            rate?: (number|null);
        }

        /** Represents a DropoutLayer. */
        class DropoutLayer implements IDropoutLayer {

            /**
             * Constructs a new DropoutLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IDropoutLayer);

            /** DropoutLayer rate. */
            public rate: number;

            /**
             * Creates a new DropoutLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DropoutLayer instance
             */
            public static create(properties?: fedfuse.v1.IDropoutLayer): fedfuse.v1.DropoutLayer;

            /**
             * Encodes the specified DropoutLayer message. Does not implicitly {@link fedfuse.v1.DropoutLayer.verify|verify} messages.
             * @param message DropoutLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IDropoutLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DropoutLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DropoutLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.DropoutLayer;

            /**
             * Gets the default type url for DropoutLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an ActivationLayer. */
        interface IActivationLayer {

            /** ActivationLayer activation */
            activation?: (fedfuse.v1.Activation|null);
        }

        /** Represents an ActivationLayer. */
        class ActivationLayer implements IActivationLayer {

            /**
             * Constructs a new ActivationLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IActivationLayer);

            /** ActivationLayer activation. */
            public activation: fedfuse.v1.Activation;

            /**
             * Creates a new ActivationLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ActivationLayer instance
             */
            public static create(properties?: fedfuse.v1.IActivationLayer): fedfuse.v1.ActivationLayer;

            /**
             * Encodes the specified ActivationLayer message. Does not implicitly {@link fedfuse.v1.ActivationLayer.verify|verify} messages.
             * @param message ActivationLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IActivationLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ActivationLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ActivationLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ActivationLayer;

            /**
             * Gets the default type url for ActivationLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an AddLayer. */
        interface IAddLayer {
        }

        /** Represents an AddLayer. */
        class AddLayer implements IAddLayer {

            /**
             * Constructs a new AddLayer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IAddLayer);

            /**
             * Creates a new AddLayer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AddLayer instance
             */
            public static create(properties?: fedfuse.v1.IAddLayer): fedfuse.v1.AddLayer;

            /**
             * Encodes the specified AddLayer message. Does not implicitly {@link fedfuse.v1.AddLayer.verify|verify} messages.
             * @param message AddLayer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IAddLayer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AddLayer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AddLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.AddLayer;

            /**
             * Gets the default type url for AddLayer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a LayerSpec. */
        interface ILayerSpec {

            /** LayerSpec dense */
            dense?: (fedfuse.v1.IDenseLayer|null);

            /** LayerSpec conv2d */
            conv2d?: (fedfuse.v1.IConv2dLayer|null);

            /** LayerSpec maxPool2d */
            maxPool2d?: (fedfuse.v1.IMaxPool2dLayer|null);

            /** LayerSpec flatten */
            flatten?: (fedfuse.v1.IFlattenLayer|null);

            /** LayerSpec depthwiseConv2d */
            depthwiseConv2d?: (fedfuse.v1.IDepthwiseConv2dLayer|null);

            /** LayerSpec avgPool2d */
            avgPool2d?: (fedfuse.v1.IAvgPool2dLayer|null);

            /** LayerSpec globalAvgPool2d */
            globalAvgPool2d?: (fedfuse.v1.IGlobalAvgPool2dLayer|null);

            /** LayerSpec reshape */
            reshape?: (fedfuse.v1.IReshapeLayer|null);

            /** LayerSpec batchNorm */
            batchNorm?: (fedfuse.v1.IBatchNormLayer|null);

            /** LayerSpec dropout */
            dropout?: (fedfuse.v1.IDropoutLayer|null);

            /** LayerSpec activation */
            activation?: (fedfuse.v1.IActivationLayer|null);

            /** LayerSpec add */
            add?: (fedfuse.v1.IAddLayer|null);

            /** LayerSpec inputs */
            inputs?: (number[]|null);
        }

        /** Represents a LayerSpec. */
        class LayerSpec implements ILayerSpec {

            /**
             * Constructs a new LayerSpec.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ILayerSpec);

            /** LayerSpec dense. */
            public dense?: (fedfuse.v1.IDenseLayer|null);

            /** LayerSpec conv2d. */
            public conv2d?: (fedfuse.v1.IConv2dLayer|null);

            /** LayerSpec maxPool2d. */
            public maxPool2d?: (fedfuse.v1.IMaxPool2dLayer|null);

            /** LayerSpec flatten. */
            public flatten?: (fedfuse.v1.IFlattenLayer|null);

            /** LayerSpec depthwiseConv2d. */
            public depthwiseConv2d?: (fedfuse.v1.IDepthwiseConv2dLayer|null);

            /** LayerSpec avgPool2d. */
            public avgPool2d?: (fedfuse.v1.IAvgPool2dLayer|null);

            /** LayerSpec globalAvgPool2d. */
            public globalAvgPool2d?: (fedfuse.v1.IGlobalAvgPool2dLayer|null);

            /** LayerSpec reshape. */
            public reshape?: (fedfuse.v1.IReshapeLayer|null);

            /** LayerSpec batchNorm. */
            public batchNorm?: (fedfuse.v1.IBatchNormLayer|null);

            /** LayerSpec dropout. */
            public dropout?: (fedfuse.v1.IDropoutLayer|null);

            /** LayerSpec activation. */
            public activation?: (fedfuse.v1.IActivationLayer|null);

            /** LayerSpec add. */
            public add?: (fedfuse.v1.IAddLayer|null);

            /** LayerSpec inputs. */
            public inputs: number[];

            /** LayerSpec kind. */
            public kind?: ("dense"|"conv2d"|"maxPool2d"|"flatten"|"depthwiseConv2d"|"avgPool2d"|"globalAvgPool2d"|"reshape"|"batchNorm"|"dropout"|"activation"|"add");

            /**
             * Creates a new LayerSpec instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LayerSpec instance
             */
            public static create(properties?: fedfuse.v1.ILayerSpec): fedfuse.v1.LayerSpec;

            /**
             * Encodes the specified LayerSpec message. Does not implicitly {@link fedfuse.v1.LayerSpec.verify|verify} messages.
             * @param message LayerSpec message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.ILayerSpec, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LayerSpec message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns LayerSpec
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.LayerSpec;

            /**
             * Gets the default type url for LayerSpec
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ModelSpec. */
        interface IModelSpec {

            /** ModelSpec inputShape */
            inputShape?: (number[]|null);

            /** ModelSpec outputActivation */
            outputActivation?: (fedfuse.v1.OutputActivation|null);

            /** ModelSpec layers */
            layers?: (fedfuse.v1.ILayerSpec[]|null);
        }

        /** Represents a ModelSpec. */
        class ModelSpec implements IModelSpec {

            /**
             * Constructs a new ModelSpec.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IModelSpec);

            /** ModelSpec inputShape. */
            public inputShape: number[];

            /** ModelSpec outputActivation. */
            public outputActivation: fedfuse.v1.OutputActivation;

            /** ModelSpec layers. */
            public layers: fedfuse.v1.ILayerSpec[];

            /**
             * Creates a new ModelSpec instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ModelSpec instance
             */
            public static create(properties?: fedfuse.v1.IModelSpec): fedfuse.v1.ModelSpec;

            /**
             * Encodes the specified ModelSpec message. Does not implicitly {@link fedfuse.v1.ModelSpec.verify|verify} messages.
             * @param message ModelSpec message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IModelSpec, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ModelSpec message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ModelSpec
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ModelSpec;

            /**
             * Gets the default type url for ModelSpec
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Model. */
        interface IModel {

            /** Model spec */
            spec?: (fedfuse.v1.IModelSpec|null);

            /** Model tensors */
            tensors?: (fedfuse.v1.ITensor[]|null);
        }

        /** Represents a Model. */
        class Model implements IModel {

            /**
             * Constructs a new Model.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IModel);

            /** Model spec. */
            public spec?: (fedfuse.v1.IModelSpec|null);

            /** Model tensors. */
            public tensors: fedfuse.v1.ITensor[];

            /**
             * Creates a new Model instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Model instance
             */
            public static create(properties?: fedfuse.v1.IModel): fedfuse.v1.Model;

            /**
             * Encodes the specified Model message. Does not implicitly {@link fedfuse.v1.Model.verify|verify} messages.
             * @param message Model message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IModel, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Model message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Model
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Model;

            /**
             * Gets the default type url for Model
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a LayerScores. */
        interface ILayerScores {

            /** LayerScores scores */
            scores?: (Uint8Array|null);
        }

        /** Represents a LayerScores. */
        class LayerScores implements ILayerScores {

            /**
             * Constructs a new LayerScores.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ILayerScores);

            /** LayerScores scores. */
            public scores: Uint8Array;

            /**
             * Creates a new LayerScores instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LayerScores instance
             */
            public static create(properties?: fedfuse.v1.ILayerScores): fedfuse.v1.LayerScores;

            /**
             * Encodes the specified LayerScores message. Does not implicitly {@link fedfuse.v1.LayerScores.verify|verify} messages.
             * @param message LayerScores message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.ILayerScores, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LayerScores message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns LayerScores
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.LayerScores;

            /**
             * Gets the default type url for LayerScores
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an AttributionSummary. */
        interface IAttributionSummary {

            /** AttributionSummary method */
            method?: (string|null);

            /** AttributionSummary samplesUsed */
            samplesUsed?: (number|null);

            /** AttributionSummary layers */
            layers?: (fedfuse.v1.ILayerScores[]|null);
        }

        /** Represents an AttributionSummary. */
        class AttributionSummary implements IAttributionSummary {

            /**
             * Constructs a new AttributionSummary.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IAttributionSummary);

            /** AttributionSummary method. */
            public method: string;

            /** AttributionSummary samplesUsed. */
            public samplesUsed: number;

            /** AttributionSummary layers. */
            public layers: fedfuse.v1.ILayerScores[];

            /**
             * Creates a new AttributionSummary instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AttributionSummary instance
             */
            public static create(properties?: fedfuse.v1.IAttributionSummary): fedfuse.v1.AttributionSummary;

            /**
             * Encodes the specified AttributionSummary message. Does not implicitly {@link fedfuse.v1.AttributionSummary.verify|verify} messages.
             * @param message AttributionSummary message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IAttributionSummary, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AttributionSummary message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AttributionSummary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.AttributionSummary;

            /**
             * Gets the default type url for AttributionSummary
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Optimizer enum. */
        enum Optimizer {
            OPTIMIZER_UNSPECIFIED = 0,
            OPTIMIZER_SGD = 1,
            OPTIMIZER_ADAM = 2
        }

        /** Properties of a TrainingConfig. */
        interface ITrainingConfig {

            /** TrainingConfig epochs */
            epochs?: (number|null);

            /** TrainingConfig batchSize */
            batchSize?: (number|null);

            /** TrainingConfig learningRate */
            learningRate?: (number|null);

            /** TrainingConfig optimizer */
            optimizer?: (fedfuse.v1.Optimizer|null);

            /** TrainingConfig proximalMu */
            proximalMu?: (number|null);

            /** TrainingConfig attributionMethod */
            attributionMethod?: (string|null);

            /** TrainingConfig attributionSamples */
            attributionSamples?: (number|null);
        }

        /** Represents a TrainingConfig. */
        class TrainingConfig implements ITrainingConfig {

            /**
             * Constructs a new TrainingConfig.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ITrainingConfig);

            /** TrainingConfig epochs. */
            public epochs: number;

            /** TrainingConfig batchSize. */
            public batchSize: number;

            /** TrainingConfig learningRate. */
            public learningRate: number;

            /** TrainingConfig optimizer. */
            public optimizer: fedfuse.v1.Optimizer;

            /** TrainingConfig proximalMu. */
            public proximalMu: number;

            /** TrainingConfig attributionMethod. */
            public attributionMethod: string;

            /** TrainingConfig attributionSamples. */
            public attributionSamples: number;

            /**
             * Creates a new TrainingConfig instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TrainingConfig instance
             */
            public static create(properties?: fedfuse.v1.ITrainingConfig): fedfuse.v1.TrainingConfig;

            /**
             * Encodes the specified TrainingConfig message. Does not implicitly {@link fedfuse.v1.TrainingConfig.verify|verify} messages.
             * @param message TrainingConfig message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.ITrainingConfig, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TrainingConfig message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns TrainingConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.TrainingConfig;

            /**
             * Gets the default type url for TrainingConfig
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a TrainingMetrics. */
        interface ITrainingMetrics {

            /** TrainingMetrics loss */
            loss?: (number|null);

            /** TrainingMetrics accuracy */
            accuracy?: (number|null);

            /** TrainingMetrics trainSeconds */
            trainSeconds?: (number|null);

            /** TrainingMetrics attributionSeconds */
            attributionSeconds?: (number|null);
        }

        /** Represents a TrainingMetrics. */
        class TrainingMetrics implements ITrainingMetrics {

            /**
             * Constructs a new TrainingMetrics.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.ITrainingMetrics);

            /** TrainingMetrics loss. */
            public loss: number;

            /** TrainingMetrics accuracy. */
            public accuracy: number;

            /** TrainingMetrics trainSeconds. */
            public trainSeconds: number;

            /** TrainingMetrics attributionSeconds. */
            public attributionSeconds: number;

            /**
             * Creates a new TrainingMetrics instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TrainingMetrics instance
             */
            public static create(properties?: fedfuse.v1.ITrainingMetrics): fedfuse.v1.TrainingMetrics;

            /**
             * Encodes the specified TrainingMetrics message. Does not implicitly {@link fedfuse.v1.TrainingMetrics.verify|verify} messages.
             * @param message TrainingMetrics message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.ITrainingMetrics, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TrainingMetrics message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns TrainingMetrics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.TrainingMetrics;

            /**
             * Gets the default type url for TrainingMetrics
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ClientHello. */
        interface IClientHello {

            /** ClientHello clientId */
            clientId?: (string|null);

            /** ClientHello softwareVersion */
            softwareVersion?: (string|null);

            /** ClientHello numExamples */
            numExamples?: (number|null);

            /** ClientHello labelHistogram */
            labelHistogram?: (number[]|null);

            /** ClientHello widthCapacity */
            widthCapacity?: (number|null);
        }

        /** Represents a ClientHello. */
        class ClientHello implements IClientHello {

            /**
             * Constructs a new ClientHello.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IClientHello);

            /** ClientHello clientId. */
            public clientId: string;

            /** ClientHello softwareVersion. */
            public softwareVersion: string;

            /** ClientHello numExamples. */
            public numExamples: number;

            /** ClientHello labelHistogram. */
            public labelHistogram: number[];

            /** ClientHello widthCapacity. */
            public widthCapacity: number;

            /**
             * Creates a new ClientHello instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClientHello instance
             */
            public static create(properties?: fedfuse.v1.IClientHello): fedfuse.v1.ClientHello;

            /**
             * Encodes the specified ClientHello message. Does not implicitly {@link fedfuse.v1.ClientHello.verify|verify} messages.
             * @param message ClientHello message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IClientHello, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClientHello message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ClientHello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ClientHello;

            /**
             * Gets the default type url for ClientHello
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Welcome. */
        interface IWelcome {

            /** Welcome runId */
            runId?: (string|null);

            /** Welcome currentRound */
            currentRound?: (number|null);

            /** Welcome serverVersion */
            serverVersion?: (string|null);

            /** Welcome runFinished */
            runFinished?: (boolean|null);

            /** Welcome dataCarve */
            dataCarve?: (fedfuse.v1.IDataCarve|null);
        }

        /** Represents a Welcome. */
        class Welcome implements IWelcome {

            /**
             * Constructs a new Welcome.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IWelcome);

            /** Welcome runId. */
            public runId: string;

            /** Welcome currentRound. */
            public currentRound: number;

            /** Welcome serverVersion. */
            public serverVersion: string;

            /** Welcome runFinished. */
            public runFinished: boolean;

            /** Welcome dataCarve. */
            public dataCarve?: (fedfuse.v1.IDataCarve|null);

            /**
             * Creates a new Welcome instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Welcome instance
             */
            public static create(properties?: fedfuse.v1.IWelcome): fedfuse.v1.Welcome;

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link fedfuse.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IWelcome, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Welcome;

            /**
             * Gets the default type url for Welcome
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DataCarve. */
        interface IDataCarve {

            /** DataCarve dataset */
            dataset?: (string|null);

            /** DataCarve splitSeed */
            splitSeed?: (number|null);

            /** DataCarve calibrationSize */
            calibrationSize?: (number|null);

            /** DataCarve testSize */
            testSize?: (number|null);
        }

        /** Represents a DataCarve. */
        class DataCarve implements IDataCarve {

            /**
             * Constructs a new DataCarve.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IDataCarve);

            /** DataCarve dataset. */
            public dataset: string;

            /** DataCarve splitSeed. */
            public splitSeed: number;

            /** DataCarve calibrationSize. */
            public calibrationSize: number;

            /** DataCarve testSize. */
            public testSize: number;

            /**
             * Creates a new DataCarve instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DataCarve instance
             */
            public static create(properties?: fedfuse.v1.IDataCarve): fedfuse.v1.DataCarve;

            /**
             * Encodes the specified DataCarve message. Does not implicitly {@link fedfuse.v1.DataCarve.verify|verify} messages.
             * @param message DataCarve message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IDataCarve, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DataCarve message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DataCarve
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.DataCarve;

            /**
             * Gets the default type url for DataCarve
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a RoundTask. */
        interface IRoundTask {

            /** RoundTask runId */
            runId?: (string|null);

            /** RoundTask round */
            round?: (number|null);

            /** RoundTask globalModel */
            globalModel?: (fedfuse.v1.IModel|null);

            /** RoundTask training */
            training?: (fedfuse.v1.ITrainingConfig|null);

            /** RoundTask deadlineUnixMs */
            deadlineUnixMs?: (number|Long|null);

            /** RoundTask records */
            records?: (fedfuse.v1.IRecordDict|null);
        }

        /** Represents a RoundTask. */
        class RoundTask implements IRoundTask {

            /**
             * Constructs a new RoundTask.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IRoundTask);

            /** RoundTask runId. */
            public runId: string;

            /** RoundTask round. */
            public round: number;

            /** RoundTask globalModel. */
            public globalModel?: (fedfuse.v1.IModel|null);

            /** RoundTask training. */
            public training?: (fedfuse.v1.ITrainingConfig|null);

            /** RoundTask deadlineUnixMs. */
            public deadlineUnixMs: (number|Long);

            /** RoundTask records. */
            public records?: (fedfuse.v1.IRecordDict|null);

            /**
             * Creates a new RoundTask instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RoundTask instance
             */
            public static create(properties?: fedfuse.v1.IRoundTask): fedfuse.v1.RoundTask;

            /**
             * Encodes the specified RoundTask message. Does not implicitly {@link fedfuse.v1.RoundTask.verify|verify} messages.
             * @param message RoundTask message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IRoundTask, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RoundTask message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns RoundTask
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.RoundTask;

            /**
             * Gets the default type url for RoundTask
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ClientUpdate. */
        interface IClientUpdate {

            /** ClientUpdate runId */
            runId?: (string|null);

            /** ClientUpdate round */
            round?: (number|null);

            /** ClientUpdate clientId */
            clientId?: (string|null);

            /** ClientUpdate model */
            model?: (fedfuse.v1.IModel|null);

            /** ClientUpdate attribution */
            attribution?: (fedfuse.v1.IAttributionSummary|null);

            /** ClientUpdate numExamples */
            numExamples?: (number|null);

            /** ClientUpdate metrics */
            metrics?: (fedfuse.v1.ITrainingMetrics|null);

            /** ClientUpdate records */
            records?: (fedfuse.v1.IRecordDict|null);

            /** ClientUpdate localSteps */
            localSteps?: (number|null);
        }

        /** Represents a ClientUpdate. */
        class ClientUpdate implements IClientUpdate {

            /**
             * Constructs a new ClientUpdate.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IClientUpdate);

            /** ClientUpdate runId. */
            public runId: string;

            /** ClientUpdate round. */
            public round: number;

            /** ClientUpdate clientId. */
            public clientId: string;

            /** ClientUpdate model. */
            public model?: (fedfuse.v1.IModel|null);

            /** ClientUpdate attribution. */
            public attribution?: (fedfuse.v1.IAttributionSummary|null);

            /** ClientUpdate numExamples. */
            public numExamples: number;

            /** ClientUpdate metrics. */
            public metrics?: (fedfuse.v1.ITrainingMetrics|null);

            /** ClientUpdate records. */
            public records?: (fedfuse.v1.IRecordDict|null);

            /** ClientUpdate localSteps. */
            public localSteps: number;

            /**
             * Creates a new ClientUpdate instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClientUpdate instance
             */
            public static create(properties?: fedfuse.v1.IClientUpdate): fedfuse.v1.ClientUpdate;

            /**
             * Encodes the specified ClientUpdate message. Does not implicitly {@link fedfuse.v1.ClientUpdate.verify|verify} messages.
             * @param message ClientUpdate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IClientUpdate, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClientUpdate message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ClientUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.ClientUpdate;

            /**
             * Gets the default type url for ClientUpdate
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** MessageKind enum. */
        enum MessageKind {
            MESSAGE_KIND_UNSPECIFIED = 0,
            MESSAGE_KIND_CLIENT_HELLO = 1,
            MESSAGE_KIND_WELCOME = 2,
            MESSAGE_KIND_ROUND_TASK = 3,
            MESSAGE_KIND_CLIENT_UPDATE = 4,
            MESSAGE_KIND_ACK = 5,
            MESSAGE_KIND_ERROR = 6,
            MESSAGE_KIND_GLOBAL_MODEL = 7
        }

        /** Properties of an Ack. */
        interface IAck {

            /** Ack runId */
            runId?: (string|null);

            /** Ack round */
            round?: (number|null);

            /** Ack accepted */
            accepted?: (fedfuse.v1.MessageKind|null);

            /** Ack message */
            message?: (string|null);
        }

        /** Represents an Ack. */
        class Ack implements IAck {

            /**
             * Constructs a new Ack.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IAck);

            /** Ack runId. */
            public runId: string;

            /** Ack round. */
            public round: number;

            /** Ack accepted. */
            public accepted: fedfuse.v1.MessageKind;

            /** Ack message. */
            public message: string;

            /**
             * Creates a new Ack instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Ack instance
             */
            public static create(properties?: fedfuse.v1.IAck): fedfuse.v1.Ack;

            /**
             * Encodes the specified Ack message. Does not implicitly {@link fedfuse.v1.Ack.verify|verify} messages.
             * @param message Ack message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IAck, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Ack;

            /**
             * Gets the default type url for Ack
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** ErrorCode enum. */
        enum ErrorCode {
            ERROR_CODE_UNSPECIFIED = 0,
            ERROR_CODE_BAD_MESSAGE = 1,
            ERROR_CODE_UNAUTHENTICATED = 2,
            ERROR_CODE_WRONG_ROUND = 3,
            ERROR_CODE_SHAPE_MISMATCH = 4,
            ERROR_CODE_NON_FINITE = 5,
            ERROR_CODE_TOO_LARGE = 6,
            ERROR_CODE_DUPLICATE = 7,
            ERROR_CODE_NOT_SAMPLED = 8,
            ERROR_CODE_UNKNOWN_CLIENT = 9,
            ERROR_CODE_INVALID_ARGUMENT = 10,
            ERROR_CODE_UNAVAILABLE = 11,
            ERROR_CODE_INTERNAL = 12
        }

        /** Properties of an Error. */
        interface IError {

            /** Error code */
            code?: (fedfuse.v1.ErrorCode|null);

            /** Error message */
            message?: (string|null);

            /** Error round */
            round?: (number|null);
        }

        /** Represents an Error. */
        class Error implements IError {

            /**
             * Constructs a new Error.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IError);

            /** Error code. */
            public code: fedfuse.v1.ErrorCode;

            /** Error message. */
            public message: string;

            /** Error round. */
            public round?: (number|null);

            /**
             * Creates a new Error instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Error instance
             */
            public static create(properties?: fedfuse.v1.IError): fedfuse.v1.Error;

            /**
             * Encodes the specified Error message. Does not implicitly {@link fedfuse.v1.Error.verify|verify} messages.
             * @param message Error message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IError, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Error;

            /**
             * Gets the default type url for Error
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GlobalModel. */
        interface IGlobalModel {

            /** GlobalModel runId */
            runId?: (string|null);

            /** GlobalModel round */
            round?: (number|null);

            /** GlobalModel model */
            model?: (fedfuse.v1.IModel|null);

            /** GlobalModel final */
            final?: (boolean|null);

            /** GlobalModel separateTrainingModel */
            separateTrainingModel?: (boolean|null);
        }

        /** Represents a GlobalModel. */
        class GlobalModel implements IGlobalModel {

            /**
             * Constructs a new GlobalModel.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IGlobalModel);

            /** GlobalModel runId. */
            public runId: string;

            /** GlobalModel round. */
            public round: number;

            /** GlobalModel model. */
            public model?: (fedfuse.v1.IModel|null);

            /** GlobalModel final. */
            public final: boolean;

            /** GlobalModel separateTrainingModel. */
            public separateTrainingModel: boolean;

            /**
             * Creates a new GlobalModel instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GlobalModel instance
             */
            public static create(properties?: fedfuse.v1.IGlobalModel): fedfuse.v1.GlobalModel;

            /**
             * Encodes the specified GlobalModel message. Does not implicitly {@link fedfuse.v1.GlobalModel.verify|verify} messages.
             * @param message GlobalModel message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IGlobalModel, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GlobalModel message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GlobalModel
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.GlobalModel;

            /**
             * Gets the default type url for GlobalModel
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an Envelope. */
        interface IEnvelope {

            /** Envelope protocolVersion */
            protocolVersion?: (number|null);

            /** Envelope clientHello */
            clientHello?: (fedfuse.v1.IClientHello|null);

            /** Envelope welcome */
            welcome?: (fedfuse.v1.IWelcome|null);

            /** Envelope roundTask */
            roundTask?: (fedfuse.v1.IRoundTask|null);

            /** Envelope clientUpdate */
            clientUpdate?: (fedfuse.v1.IClientUpdate|null);

            /** Envelope ack */
            ack?: (fedfuse.v1.IAck|null);

            /** Envelope error */
            error?: (fedfuse.v1.IError|null);

            /** Envelope globalModel */
            globalModel?: (fedfuse.v1.IGlobalModel|null);
        }

        /** Represents an Envelope. */
        class Envelope implements IEnvelope {

            /**
             * Constructs a new Envelope.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedfuse.v1.IEnvelope);

            /** Envelope protocolVersion. */
            public protocolVersion: number;

            /** Envelope clientHello. */
            public clientHello?: (fedfuse.v1.IClientHello|null);

            /** Envelope welcome. */
            public welcome?: (fedfuse.v1.IWelcome|null);

            /** Envelope roundTask. */
            public roundTask?: (fedfuse.v1.IRoundTask|null);

            /** Envelope clientUpdate. */
            public clientUpdate?: (fedfuse.v1.IClientUpdate|null);

            /** Envelope ack. */
            public ack?: (fedfuse.v1.IAck|null);

            /** Envelope error. */
            public error?: (fedfuse.v1.IError|null);

            /** Envelope globalModel. */
            public globalModel?: (fedfuse.v1.IGlobalModel|null);

            /** Envelope body. */
            public body?: ("clientHello"|"welcome"|"roundTask"|"clientUpdate"|"ack"|"error"|"globalModel");

            /**
             * Creates a new Envelope instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Envelope instance
             */
            public static create(properties?: fedfuse.v1.IEnvelope): fedfuse.v1.Envelope;

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link fedfuse.v1.Envelope.verify|verify} messages.
             * @param message Envelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: fedfuse.v1.IEnvelope, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedfuse.v1.Envelope;

            /**
             * Gets the default type url for Envelope
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }
    }
}
