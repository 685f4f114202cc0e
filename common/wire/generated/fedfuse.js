/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
// pbjs wrapper for Node ESM. The stock "es6" wrapper does
// `import * as $protobuf`, which under Node's CommonJS interop yields a
// namespace without `roots`/`Reader`; protobufjs/minimal is CommonJS, so its
// exports object is the default import.
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const fedfuse = $root.fedfuse = (() => {

    /**
     * Namespace fedfuse.
     * @exports fedfuse
     * @namespace
     */
    const fedfuse = {};

    fedfuse.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof fedfuse
         * @namespace
         */
        const v1 = {};

        /**
         * DType enum.
         * @name fedfuse.v1.DType
         * @enum {number}
         * @property {number} DTYPE_UNSPECIFIED=0 DTYPE_UNSPECIFIED value
         * @property {number} DTYPE_FLOAT32=1 DTYPE_FLOAT32 value
         */
        v1.DType = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "DTYPE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "DTYPE_FLOAT32"] = 1;
            return values;
        })();

        v1.Tensor = (function() {

            /**
             * Properties of a Tensor.
             * @memberof fedfuse.v1
             * @interface ITensor
             * @property {string|null} [name] Tensor name
             * @property {Array.<number>|null} [shape] Tensor shape
             * @property {fedfuse.v1.DType|null} [dtype] Tensor dtype
             * @property {Uint8Array|null} [data] Tensor data
             */

            /**
             * Constructs a new Tensor.
             * @memberof fedfuse.v1
             * @classdesc Represents a Tensor.
             * @implements ITensor
             * @constructor
             * @param {fedfuse.v1.ITensor=} [properties] Properties to set
             */
            function Tensor(properties) {
                this.shape = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Tensor name.
             * @member {string} name
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.name = "";

            /**
             * Tensor shape.
             * @member {Array.<number>} shape
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.shape = $util.emptyArray;

            /**
             * Tensor dtype.
             * @member {fedfuse.v1.DType} dtype
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.dtype = 0;

            /**
             * Tensor data.
             * @member {Uint8Array} data
             * @memberof fedfuse.v1.Tensor
             * @instance
             */
            Tensor.prototype.data = $util.newBuffer([]);

            /**
             * Creates a new Tensor instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {fedfuse.v1.ITensor=} [properties] Properties to set
             * @returns {fedfuse.v1.Tensor} Tensor instance
             */
            Tensor.create = function create(properties) {
                return new Tensor(properties);
            };

            /**
             * Encodes the specified Tensor message. Does not implicitly {@link fedfuse.v1.Tensor.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {fedfuse.v1.ITensor} message Tensor message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Tensor.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.shape != null && message.shape.length) {
                    writer.uint32(/* id 2, wireType 2 =*/18).fork();
                    for (let i = 0; i < message.shape.length; ++i)
                        writer.uint32(message.shape[i]);
                    writer.ldelim();
                }
                if (message.dtype != null && Object.hasOwnProperty.call(message, "dtype"))
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.dtype);
                if (message.data != null && Object.hasOwnProperty.call(message, "data"))
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.data);
                return writer;
            };

            /**
             * Decodes a Tensor message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Tensor} Tensor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Tensor.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.Tensor();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.name = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.shape && message.shape.length))
                                message.shape = [];
                            if ((tag & 7) === 2) {
                                let end2 = reader.uint32() + reader.pos;
                                if (end2 > reader.len)
                                    throw RangeError("index out of range");
                                reader.len = end2;
                                while (reader.pos < end2)
                                    message.shape.push(reader.uint32());
                                if (reader.pos !== end2)
                                    throw RangeError("index out of range");
                                reader.len = end;
                            } else
                                message.shape.push(reader.uint32());
                            break;
                        }
                    case 3: {
                            message.dtype = reader.int32();
                            break;
                        }
                    case 4: {
                            message.data = reader.bytes();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Tensor
             * @function getTypeUrl
             * @memberof fedfuse.v1.Tensor
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Tensor.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.Tensor";
            };

            return Tensor;
        })();

        v1.ArrayRecord = (function() {

            /**
             * Properties of an ArrayRecord.
             * @memberof fedfuse.v1
             * @interface IArrayRecord
             * @property {string|null} [name] ArrayRecord name
             * @property {Array.<fedfuse.v1.ITensor>|null} [tensors] ArrayRecord tensors
             */

            /**
             * Constructs a new ArrayRecord.
             * @memberof fedfuse.v1
             * @classdesc Represents an ArrayRecord.
             * @implements IArrayRecord
             * @constructor
             * @param {fedfuse.v1.IArrayRecord=} [properties] Properties to set
             */
            function ArrayRecord(properties) {
                this.tensors = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ArrayRecord name.
             * @member {string} name
             * @memberof fedfuse.v1.ArrayRecord
             * @instance
             */
            ArrayRecord.prototype.name = "";

            /**
             * ArrayRecord tensors.
             * @member {Array.<fedfuse.v1.ITensor>} tensors
             * @memberof fedfuse.v1.ArrayRecord
             * @instance
             */
            ArrayRecord.prototype.tensors = $util.emptyArray;

            /**
             * Creates a new ArrayRecord instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ArrayRecord
             * @static
             * @param {fedfuse.v1.IArrayRecord=} [properties] Properties to set
             * @returns {fedfuse.v1.ArrayRecord} ArrayRecord instance
             */
            ArrayRecord.create = function create(properties) {
                return new ArrayRecord(properties);
            };

            /**
             * Encodes the specified ArrayRecord message. Does not implicitly {@link fedfuse.v1.ArrayRecord.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ArrayRecord
             * @static
             * @param {fedfuse.v1.IArrayRecord} message ArrayRecord message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ArrayRecord.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.tensors != null && message.tensors.length)
                    for (let i = 0; i < message.tensors.length; ++i)
                        $root.fedfuse.v1.Tensor.encode(message.tensors[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes an ArrayRecord message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ArrayRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ArrayRecord} ArrayRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ArrayRecord.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ArrayRecord();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.name = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.tensors && message.tensors.length))
                                message.tensors = [];
                            message.tensors.push($root.fedfuse.v1.Tensor.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ArrayRecord
             * @function getTypeUrl
             * @memberof fedfuse.v1.ArrayRecord
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ArrayRecord.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ArrayRecord";
            };

            return ArrayRecord;
        })();

        v1.NumberList = (function() {

            /**
             * Properties of a NumberList.
             * @memberof fedfuse.v1
             * @interface INumberList
             * @property {Array.<number>|null} [values] NumberList values
             */

            /**
             * Constructs a new NumberList.
             * @memberof fedfuse.v1
             * @classdesc Represents a NumberList.
             * @implements INumberList
             * @constructor
             * @param {fedfuse.v1.INumberList=} [properties] Properties to set
             */
            function NumberList(properties) {
                this.values = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * NumberList values.
             * @member {Array.<number>} values
             * @memberof fedfuse.v1.NumberList
             * @instance
             */
            NumberList.prototype.values = $util.emptyArray;

            /**
             * Creates a new NumberList instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.NumberList
             * @static
             * @param {fedfuse.v1.INumberList=} [properties] Properties to set
             * @returns {fedfuse.v1.NumberList} NumberList instance
             */
            NumberList.create = function create(properties) {
                return new NumberList(properties);
            };

            /**
             * Encodes the specified NumberList message. Does not implicitly {@link fedfuse.v1.NumberList.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.NumberList
             * @static
             * @param {fedfuse.v1.INumberList} message NumberList message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            NumberList.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.values != null && message.values.length) {
                    writer.uint32(/* id 1, wireType 2 =*/10).fork();
                    for (let i = 0; i < message.values.length; ++i)
                        writer.double(message.values[i]);
                    writer.ldelim();
                }
                return writer;
            };

            /**
             * Decodes a NumberList message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.NumberList
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.NumberList} NumberList
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            NumberList.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.NumberList();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.values && message.values.length))
                                message.values = [];
                            if ((tag & 7) === 2) {
                                let end2 = reader.uint32() + reader.pos;
                                if (end2 > reader.len)
                                    throw RangeError("index out of range");
                                reader.len = end2;
                                while (reader.pos < end2)
                                    message.values.push(reader.double());
                                if (reader.pos !== end2)
                                    throw RangeError("index out of range");
                                reader.len = end;
                            } else
                                message.values.push(reader.double());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for NumberList
             * @function getTypeUrl
             * @memberof fedfuse.v1.NumberList
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            NumberList.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.NumberList";
            };

            return NumberList;
        })();

        v1.ConfigEntry = (function() {

            /**
             * Properties of a ConfigEntry.
             * @memberof fedfuse.v1
             * @interface IConfigEntry
             * @property {string|null} [key] ConfigEntry key
             * @property {number|null} [number] ConfigEntry number
             * @property {string|null} [text] ConfigEntry text
             * @property {boolean|null} [flag] ConfigEntry flag
             * @property {fedfuse.v1.INumberList|null} [numbers] ConfigEntry numbers
             */

            /**
             * Constructs a new ConfigEntry.
             * @memberof fedfuse.v1
             * @classdesc Represents a ConfigEntry.
             * @implements IConfigEntry
             * @constructor
             * @param {fedfuse.v1.IConfigEntry=} [properties] Properties to set
             */
            function ConfigEntry(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ConfigEntry key.
             * @member {string} key
             * @memberof fedfuse.v1.ConfigEntry
             * @instance
             */
            ConfigEntry.prototype.key = "";

            /**
             * ConfigEntry number.
             * @member {number|null|undefined} number
             * @memberof fedfuse.v1.ConfigEntry
             * @instance
             */
            ConfigEntry.prototype.number = null;

            /**
             * ConfigEntry text.
             * @member {string|null|undefined} text
             * @memberof fedfuse.v1.ConfigEntry
             * @instance
             */
            ConfigEntry.prototype.text = null;

            /**
             * ConfigEntry flag.
             * @member {boolean|null|undefined} flag
             * @memberof fedfuse.v1.ConfigEntry
             * @instance
             */
            ConfigEntry.prototype.flag = null;

            /**
             * ConfigEntry numbers.
             * @member {fedfuse.v1.INumberList|null|undefined} numbers
             * @memberof fedfuse.v1.ConfigEntry
             * @instance
             */
            ConfigEntry.prototype.numbers = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * ConfigEntry value.
             * @member {"number"|"text"|"flag"|"numbers"|undefined} value
             * @memberof fedfuse.v1.ConfigEntry
             * @instance
             */
            Object.defineProperty(ConfigEntry.prototype, "value", {
                get: $util.oneOfGetter($oneOfFields = ["number", "text", "flag", "numbers"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ConfigEntry instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ConfigEntry
             * @static
             * @param {fedfuse.v1.IConfigEntry=} [properties] Properties to set
             * @returns {fedfuse.v1.ConfigEntry} ConfigEntry instance
             */
            ConfigEntry.create = function create(properties) {
                return new ConfigEntry(properties);
            };

            /**
             * Encodes the specified ConfigEntry message. Does not implicitly {@link fedfuse.v1.ConfigEntry.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ConfigEntry
             * @static
             * @param {fedfuse.v1.IConfigEntry} message ConfigEntry message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigEntry.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.key != null && Object.hasOwnProperty.call(message, "key"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
                if (message.number != null && Object.hasOwnProperty.call(message, "number"))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.number);
                if (message.text != null && Object.hasOwnProperty.call(message, "text"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.text);
                if (message.flag != null && Object.hasOwnProperty.call(message, "flag"))
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.flag);
                if (message.numbers != null && Object.hasOwnProperty.call(message, "numbers"))
                    $root.fedfuse.v1.NumberList.encode(message.numbers, writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a ConfigEntry message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ConfigEntry
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ConfigEntry} ConfigEntry
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigEntry.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ConfigEntry();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.key = reader.string();
                            break;
                        }
                    case 2: {
                            message.number = reader.double();
                            break;
                        }
                    case 3: {
                            message.text = reader.string();
                            break;
                        }
                    case 4: {
                            message.flag = reader.bool();
                            break;
                        }
                    case 5: {
                            message.numbers = $root.fedfuse.v1.NumberList.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ConfigEntry
             * @function getTypeUrl
             * @memberof fedfuse.v1.ConfigEntry
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ConfigEntry.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ConfigEntry";
            };

            return ConfigEntry;
        })();

        v1.ConfigRecord = (function() {

            /**
             * Properties of a ConfigRecord.
             * @memberof fedfuse.v1
             * @interface IConfigRecord
             * @property {string|null} [name] ConfigRecord name
             * @property {Array.<fedfuse.v1.IConfigEntry>|null} [entries] ConfigRecord entries
             */

            /**
             * Constructs a new ConfigRecord.
             * @memberof fedfuse.v1
             * @classdesc Represents a ConfigRecord.
             * @implements IConfigRecord
             * @constructor
             * @param {fedfuse.v1.IConfigRecord=} [properties] Properties to set
             */
            function ConfigRecord(properties) {
                this.entries = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ConfigRecord name.
             * @member {string} name
             * @memberof fedfuse.v1.ConfigRecord
             * @instance
             */
            ConfigRecord.prototype.name = "";

            /**
             * ConfigRecord entries.
             * @member {Array.<fedfuse.v1.IConfigEntry>} entries
             * @memberof fedfuse.v1.ConfigRecord
             * @instance
             */
            ConfigRecord.prototype.entries = $util.emptyArray;

            /**
             * Creates a new ConfigRecord instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ConfigRecord
             * @static
             * @param {fedfuse.v1.IConfigRecord=} [properties] Properties to set
             * @returns {fedfuse.v1.ConfigRecord} ConfigRecord instance
             */
            ConfigRecord.create = function create(properties) {
                return new ConfigRecord(properties);
            };

            /**
             * Encodes the specified ConfigRecord message. Does not implicitly {@link fedfuse.v1.ConfigRecord.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ConfigRecord
             * @static
             * @param {fedfuse.v1.IConfigRecord} message ConfigRecord message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigRecord.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.entries != null && message.entries.length)
                    for (let i = 0; i < message.entries.length; ++i)
                        $root.fedfuse.v1.ConfigEntry.encode(message.entries[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a ConfigRecord message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ConfigRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ConfigRecord} ConfigRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigRecord.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ConfigRecord();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.name = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.entries && message.entries.length))
                                message.entries = [];
                            message.entries.push($root.fedfuse.v1.ConfigEntry.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ConfigRecord
             * @function getTypeUrl
             * @memberof fedfuse.v1.ConfigRecord
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ConfigRecord.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ConfigRecord";
            };

            return ConfigRecord;
        })();

        v1.RecordDict = (function() {

            /**
             * Properties of a RecordDict.
             * @memberof fedfuse.v1
             * @interface IRecordDict
             * @property {Array.<fedfuse.v1.IArrayRecord>|null} [arrays] RecordDict arrays
             * @property {Array.<fedfuse.v1.IConfigRecord>|null} [configs] RecordDict configs
             */

            /**
             * Constructs a new RecordDict.
             * @memberof fedfuse.v1
             * @classdesc Represents a RecordDict.
             * @implements IRecordDict
             * @constructor
             * @param {fedfuse.v1.IRecordDict=} [properties] Properties to set
             */
            function RecordDict(properties) {
                this.arrays = [];
                this.configs = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * RecordDict arrays.
             * @member {Array.<fedfuse.v1.IArrayRecord>} arrays
             * @memberof fedfuse.v1.RecordDict
             * @instance
             */
            RecordDict.prototype.arrays = $util.emptyArray;

            /**
             * RecordDict configs.
             * @member {Array.<fedfuse.v1.IConfigRecord>} configs
             * @memberof fedfuse.v1.RecordDict
             * @instance
             */
            RecordDict.prototype.configs = $util.emptyArray;

            /**
             * Creates a new RecordDict instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.RecordDict
             * @static
             * @param {fedfuse.v1.IRecordDict=} [properties] Properties to set
             * @returns {fedfuse.v1.RecordDict} RecordDict instance
             */
            RecordDict.create = function create(properties) {
                return new RecordDict(properties);
            };

            /**
             * Encodes the specified RecordDict message. Does not implicitly {@link fedfuse.v1.RecordDict.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.RecordDict
             * @static
             * @param {fedfuse.v1.IRecordDict} message RecordDict message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RecordDict.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.arrays != null && message.arrays.length)
                    for (let i = 0; i < message.arrays.length; ++i)
                        $root.fedfuse.v1.ArrayRecord.encode(message.arrays[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                if (message.configs != null && message.configs.length)
                    for (let i = 0; i < message.configs.length; ++i)
                        $root.fedfuse.v1.ConfigRecord.encode(message.configs[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a RecordDict message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.RecordDict
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.RecordDict} RecordDict
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RecordDict.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.RecordDict();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.arrays && message.arrays.length))
                                message.arrays = [];
                            message.arrays.push($root.fedfuse.v1.ArrayRecord.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 2: {
                            if (!(message.configs && message.configs.length))
                                message.configs = [];
                            message.configs.push($root.fedfuse.v1.ConfigRecord.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for RecordDict
             * @function getTypeUrl
             * @memberof fedfuse.v1.RecordDict
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            RecordDict.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.RecordDict";
            };

            return RecordDict;
        })();

        /**
         * Activation enum.
         * @name fedfuse.v1.Activation
         * @enum {number}
         * @property {number} ACTIVATION_UNSPECIFIED=0 ACTIVATION_UNSPECIFIED value
         * @property {number} ACTIVATION_RELU=1 ACTIVATION_RELU value
         * @property {number} ACTIVATION_LINEAR=2 ACTIVATION_LINEAR value
         */
        v1.Activation = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "ACTIVATION_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ACTIVATION_RELU"] = 1;
            values[valuesById[2] = "ACTIVATION_LINEAR"] = 2;
            return values;
        })();

        /**
         * Padding enum.
         * @name fedfuse.v1.Padding
         * @enum {number}
         * @property {number} PADDING_UNSPECIFIED=0 PADDING_UNSPECIFIED value
         * @property {number} PADDING_VALID=1 PADDING_VALID value
         * @property {number} PADDING_SAME=2 PADDING_SAME value
         */
        v1.Padding = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "PADDING_UNSPECIFIED"] = 0;
            values[valuesById[1] = "PADDING_VALID"] = 1;
            values[valuesById[2] = "PADDING_SAME"] = 2;
            return values;
        })();

        /**
         * OutputActivation enum.
         * @name fedfuse.v1.OutputActivation
         * @enum {number}
         * @property {number} OUTPUT_ACTIVATION_UNSPECIFIED=0 OUTPUT_ACTIVATION_UNSPECIFIED value
         * @property {number} OUTPUT_ACTIVATION_SOFTMAX=1 OUTPUT_ACTIVATION_SOFTMAX value
         * @property {number} OUTPUT_ACTIVATION_LINEAR=2 OUTPUT_ACTIVATION_LINEAR value
         */
        v1.OutputActivation = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "OUTPUT_ACTIVATION_UNSPECIFIED"] = 0;
            values[valuesById[1] = "OUTPUT_ACTIVATION_SOFTMAX"] = 1;
            values[valuesById[2] = "OUTPUT_ACTIVATION_LINEAR"] = 2;
            return values;
        })();

        v1.DenseLayer = (function() {

            /**
             * Properties of a DenseLayer.
             * @memberof fedfuse.v1
             * @interface IDenseLayer
             * @property {number|null} [units] DenseLayer units
             * @property {fedfuse.v1.Activation|null} [activation] DenseLayer activation
             * @property {boolean|null} [useBias] DenseLayer useBias
             */

            /**
             * Constructs a new DenseLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a DenseLayer.
             * @implements IDenseLayer
             * @constructor
             * @param {fedfuse.v1.IDenseLayer=} [properties] Properties to set
             */
            function DenseLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * DenseLayer units.
             * @member {number} units
             * @memberof fedfuse.v1.DenseLayer
             * @instance
             */
            DenseLayer.prototype.units = 0;

            /**
             * DenseLayer activation.
             * @member {fedfuse.v1.Activation} activation
             * @memberof fedfuse.v1.DenseLayer
             * @instance
             */
            DenseLayer.prototype.activation = 0;

            /**
             * DenseLayer useBias.
             * @member {boolean} useBias
             * @memberof fedfuse.v1.DenseLayer
             * @instance
             */
            DenseLayer.prototype.useBias = false;

            /**
             * Creates a new DenseLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.DenseLayer
             * @static
             * @param {fedfuse.v1.IDenseLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.DenseLayer} DenseLayer instance
             */
            DenseLayer.create = function create(properties) {
                return new DenseLayer(properties);
            };

            /**
             * Encodes the specified DenseLayer message. Does not implicitly {@link fedfuse.v1.DenseLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.DenseLayer
             * @static
             * @param {fedfuse.v1.IDenseLayer} message DenseLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DenseLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.units != null && Object.hasOwnProperty.call(message, "units"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.units);
                if (message.activation != null && Object.hasOwnProperty.call(message, "activation"))
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.activation);
                if (message.useBias != null && Object.hasOwnProperty.call(message, "useBias"))
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.useBias);
                return writer;
            };

            /**
             * Decodes a DenseLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.DenseLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.DenseLayer} DenseLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DenseLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.DenseLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.units = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.activation = reader.int32();
                            break;
                        }
                    case 3: {
                            message.useBias = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for DenseLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.DenseLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DenseLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.DenseLayer";
            };

            return DenseLayer;
        })();

        v1.Conv2dLayer = (function() {

            /**
             * Properties of a Conv2dLayer.
             * @memberof fedfuse.v1
             * @interface IConv2dLayer
             * @property {number|null} [filters] Conv2dLayer filters
             * @property {number|null} [kernelSize] Conv2dLayer kernelSize
             * @property {number|null} [strides] Conv2dLayer strides
             * @property {fedfuse.v1.Padding|null} [padding] Conv2dLayer padding
             * @property {fedfuse.v1.Activation|null} [activation] Conv2dLayer activation
             * @property {boolean|null} [useBias] Conv2dLayer useBias
             */

            /**
             * Constructs a new Conv2dLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a Conv2dLayer.
             * @implements IConv2dLayer
             * @constructor
             * @param {fedfuse.v1.IConv2dLayer=} [properties] Properties to set
             */
            function Conv2dLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Conv2dLayer filters.
             * @member {number} filters
             * @memberof fedfuse.v1.Conv2dLayer
             * @instance
             */
            Conv2dLayer.prototype.filters = 0;

            /**
             * Conv2dLayer kernelSize.
             * @member {number} kernelSize
             * @memberof fedfuse.v1.Conv2dLayer
             * @instance
             */
            Conv2dLayer.prototype.kernelSize = 0;

            /**
             * Conv2dLayer strides.
             * @member {number} strides
             * @memberof fedfuse.v1.Conv2dLayer
             * @instance
             */
            Conv2dLayer.prototype.strides = 0;

            /**
             * Conv2dLayer padding.
             * @member {fedfuse.v1.Padding} padding
             * @memberof fedfuse.v1.Conv2dLayer
             * @instance
             */
            Conv2dLayer.prototype.padding = 0;

            /**
             * Conv2dLayer activation.
             * @member {fedfuse.v1.Activation} activation
             * @memberof fedfuse.v1.Conv2dLayer
             * @instance
             */
            Conv2dLayer.prototype.activation = 0;

            /**
             * Conv2dLayer useBias.
             * @member {boolean} useBias
             * @memberof fedfuse.v1.Conv2dLayer
             * @instance
             */
            Conv2dLayer.prototype.useBias = false;

            /**
             * Creates a new Conv2dLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Conv2dLayer
             * @static
             * @param {fedfuse.v1.IConv2dLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.Conv2dLayer} Conv2dLayer instance
             */
            Conv2dLayer.create = function create(properties) {
                return new Conv2dLayer(properties);
            };

            /**
             * Encodes the specified Conv2dLayer message. Does not implicitly {@link fedfuse.v1.Conv2dLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Conv2dLayer
             * @static
             * @param {fedfuse.v1.IConv2dLayer} message Conv2dLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Conv2dLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.filters != null && Object.hasOwnProperty.call(message, "filters"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.filters);
                if (message.kernelSize != null && Object.hasOwnProperty.call(message, "kernelSize"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.kernelSize);
                if (message.strides != null && Object.hasOwnProperty.call(message, "strides"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.strides);
                if (message.padding != null && Object.hasOwnProperty.call(message, "padding"))
                    writer.uint32(/* id 4, wireType 0 =*/32).int32(message.padding);
                if (message.activation != null && Object.hasOwnProperty.call(message, "activation"))
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.activation);
                if (message.useBias != null && Object.hasOwnProperty.call(message, "useBias"))
                    writer.uint32(/* id 6, wireType 0 =*/48).bool(message.useBias);
                return writer;
            };

            /**
             * Decodes a Conv2dLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Conv2dLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Conv2dLayer} Conv2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Conv2dLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.Conv2dLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.filters = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.kernelSize = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.strides = reader.uint32();
                            break;
                        }
                    case 4: {
                            message.padding = reader.int32();
                            break;
                        }
                    case 5: {
                            message.activation = reader.int32();
                            break;
                        }
                    case 6: {
                            message.useBias = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Conv2dLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.Conv2dLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Conv2dLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.Conv2dLayer";
            };

            return Conv2dLayer;
        })();

        v1.MaxPool2dLayer = (function() {

            /**
             * Properties of a MaxPool2dLayer.
             * @memberof fedfuse.v1
             * @interface IMaxPool2dLayer
             * @property {number|null} [poolSize] MaxPool2dLayer poolSize
             * @property {number|null} [strides] MaxPool2dLayer strides
             * @property {fedfuse.v1.Padding|null} [padding] MaxPool2dLayer padding
             */

            /**
             * Constructs a new MaxPool2dLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a MaxPool2dLayer.
             * @implements IMaxPool2dLayer
             * @constructor
             * @param {fedfuse.v1.IMaxPool2dLayer=} [properties] Properties to set
             */
            function MaxPool2dLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * MaxPool2dLayer poolSize.
             * @member {number} poolSize
             * @memberof fedfuse.v1.MaxPool2dLayer
             * @instance
             */
            MaxPool2dLayer.prototype.poolSize = 0;

            /**
             * MaxPool2dLayer strides.
             * @member {number} strides
             * @memberof fedfuse.v1.MaxPool2dLayer
             * @instance
             */
            MaxPool2dLayer.prototype.strides = 0;

            /**
             * MaxPool2dLayer padding.
             * @member {fedfuse.v1.Padding} padding
             * @memberof fedfuse.v1.MaxPool2dLayer
             * @instance
             */
            MaxPool2dLayer.prototype.padding = 0;

            /**
             * Creates a new MaxPool2dLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.MaxPool2dLayer
             * @static
             * @param {fedfuse.v1.IMaxPool2dLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.MaxPool2dLayer} MaxPool2dLayer instance
             */
            MaxPool2dLayer.create = function create(properties) {
                return new MaxPool2dLayer(properties);
            };

            /**
             * Encodes the specified MaxPool2dLayer message. Does not implicitly {@link fedfuse.v1.MaxPool2dLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.MaxPool2dLayer
             * @static
             * @param {fedfuse.v1.IMaxPool2dLayer} message MaxPool2dLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MaxPool2dLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.poolSize != null && Object.hasOwnProperty.call(message, "poolSize"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.poolSize);
                if (message.strides != null && Object.hasOwnProperty.call(message, "strides"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.strides);
                if (message.padding != null && Object.hasOwnProperty.call(message, "padding"))
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.padding);
                return writer;
            };

            /**
             * Decodes a MaxPool2dLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.MaxPool2dLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.MaxPool2dLayer} MaxPool2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MaxPool2dLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.MaxPool2dLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.poolSize = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.strides = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.padding = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for MaxPool2dLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.MaxPool2dLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            MaxPool2dLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.MaxPool2dLayer";
            };

            return MaxPool2dLayer;
        })();

        v1.FlattenLayer = (function() {

            /**
             * Properties of a FlattenLayer.
             * @memberof fedfuse.v1
             * @interface IFlattenLayer
             */

            /**
             * Constructs a new FlattenLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a FlattenLayer.
             * @implements IFlattenLayer
             * @constructor
             * @param {fedfuse.v1.IFlattenLayer=} [properties] Properties to set
             */
            function FlattenLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Creates a new FlattenLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.FlattenLayer
             * @static
             * @param {fedfuse.v1.IFlattenLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.FlattenLayer} FlattenLayer instance
             */
            FlattenLayer.create = function create(properties) {
                return new FlattenLayer(properties);
            };

            /**
             * Encodes the specified FlattenLayer message. Does not implicitly {@link fedfuse.v1.FlattenLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.FlattenLayer
             * @static
             * @param {fedfuse.v1.IFlattenLayer} message FlattenLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlattenLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                return writer;
            };

            /**
             * Decodes a FlattenLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.FlattenLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.FlattenLayer} FlattenLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlattenLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.FlattenLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for FlattenLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.FlattenLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            FlattenLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.FlattenLayer";
            };

            return FlattenLayer;
        })();

        v1.DepthwiseConv2dLayer = (function() {

            /**
             * Properties of a DepthwiseConv2dLayer.
             * @memberof fedfuse.v1
             * @interface IDepthwiseConv2dLayer
             * @property {number|null} [kernelSize] DepthwiseConv2dLayer kernelSize
             * @property {number|null} [strides] DepthwiseConv2dLayer strides
             * @property {fedfuse.v1.Padding|null} [padding] DepthwiseConv2dLayer padding
             * @property {fedfuse.v1.Activation|null} [activation] DepthwiseConv2dLayer activation
             * @property {boolean|null} [useBias] DepthwiseConv2dLayer useBias
             */

            /**
             * Constructs a new DepthwiseConv2dLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a DepthwiseConv2dLayer.
             * @implements IDepthwiseConv2dLayer
             * @constructor
             * @param {fedfuse.v1.IDepthwiseConv2dLayer=} [properties] Properties to set
             */
            function DepthwiseConv2dLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * DepthwiseConv2dLayer kernelSize.
             * @member {number} kernelSize
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @instance
             */
            DepthwiseConv2dLayer.prototype.kernelSize = 0;

            /**
             * DepthwiseConv2dLayer strides.
             * @member {number} strides
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @instance
             */
            DepthwiseConv2dLayer.prototype.strides = 0;

            /**
             * DepthwiseConv2dLayer padding.
             * @member {fedfuse.v1.Padding} padding
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @instance
             */
            DepthwiseConv2dLayer.prototype.padding = 0;

            /**
             * DepthwiseConv2dLayer activation.
             * @member {fedfuse.v1.Activation} activation
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @instance
             */
            DepthwiseConv2dLayer.prototype.activation = 0;

            /**
             * DepthwiseConv2dLayer useBias.
             * @member {boolean} useBias
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @instance
             */
            DepthwiseConv2dLayer.prototype.useBias = false;

            /**
             * Creates a new DepthwiseConv2dLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @static
             * @param {fedfuse.v1.IDepthwiseConv2dLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.DepthwiseConv2dLayer} DepthwiseConv2dLayer instance
             */
            DepthwiseConv2dLayer.create = function create(properties) {
                return new DepthwiseConv2dLayer(properties);
            };

            /**
             * Encodes the specified DepthwiseConv2dLayer message. Does not implicitly {@link fedfuse.v1.DepthwiseConv2dLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @static
             * @param {fedfuse.v1.IDepthwiseConv2dLayer} message DepthwiseConv2dLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DepthwiseConv2dLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.kernelSize != null && Object.hasOwnProperty.call(message, "kernelSize"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.kernelSize);
                if (message.strides != null && Object.hasOwnProperty.call(message, "strides"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.strides);
                if (message.padding != null && Object.hasOwnProperty.call(message, "padding"))
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.padding);
                if (message.activation != null && Object.hasOwnProperty.call(message, "activation"))
                    writer.uint32(/* id 4, wireType 0 =*/32).int32(message.activation);
                if (message.useBias != null && Object.hasOwnProperty.call(message, "useBias"))
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.useBias);
                return writer;
            };

            /**
             * Decodes a DepthwiseConv2dLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.DepthwiseConv2dLayer} DepthwiseConv2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DepthwiseConv2dLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.DepthwiseConv2dLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.kernelSize = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.strides = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.padding = reader.int32();
                            break;
                        }
                    case 4: {
                            message.activation = reader.int32();
                            break;
                        }
                    case 5: {
                            message.useBias = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for DepthwiseConv2dLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.DepthwiseConv2dLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DepthwiseConv2dLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.DepthwiseConv2dLayer";
            };

            return DepthwiseConv2dLayer;
        })();

        v1.AvgPool2dLayer = (function() {

            /**
             * Properties of an AvgPool2dLayer.
             * @memberof fedfuse.v1
             * @interface IAvgPool2dLayer
             * @property {number|null} [poolSize] AvgPool2dLayer poolSize
             * @property {number|null} [strides] AvgPool2dLayer strides
             * @property {fedfuse.v1.Padding|null} [padding] AvgPool2dLayer padding
             */

            /**
             * Constructs a new AvgPool2dLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents an AvgPool2dLayer.
             * @implements IAvgPool2dLayer
             * @constructor
             * @param {fedfuse.v1.IAvgPool2dLayer=} [properties] Properties to set
             */
            function AvgPool2dLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * AvgPool2dLayer poolSize.
             * @member {number} poolSize
             * @memberof fedfuse.v1.AvgPool2dLayer
             * @instance
             */
            AvgPool2dLayer.prototype.poolSize = 0;

            /**
             * AvgPool2dLayer strides.
             * @member {number} strides
             * @memberof fedfuse.v1.AvgPool2dLayer
             * @instance
             */
            AvgPool2dLayer.prototype.strides = 0;

            /**
             * AvgPool2dLayer padding.
             * @member {fedfuse.v1.Padding} padding
             * @memberof fedfuse.v1.AvgPool2dLayer
             * @instance
             */
            AvgPool2dLayer.prototype.padding = 0;

            /**
             * Creates a new AvgPool2dLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.AvgPool2dLayer
             * @static
             * @param {fedfuse.v1.IAvgPool2dLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.AvgPool2dLayer} AvgPool2dLayer instance
             */
            AvgPool2dLayer.create = function create(properties) {
                return new AvgPool2dLayer(properties);
            };

            /**
             * Encodes the specified AvgPool2dLayer message. Does not implicitly {@link fedfuse.v1.AvgPool2dLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.AvgPool2dLayer
             * @static
             * @param {fedfuse.v1.IAvgPool2dLayer} message AvgPool2dLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AvgPool2dLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.poolSize != null && Object.hasOwnProperty.call(message, "poolSize"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.poolSize);
                if (message.strides != null && Object.hasOwnProperty.call(message, "strides"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.strides);
                if (message.padding != null && Object.hasOwnProperty.call(message, "padding"))
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.padding);
                return writer;
            };

            /**
             * Decodes an AvgPool2dLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.AvgPool2dLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.AvgPool2dLayer} AvgPool2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AvgPool2dLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.AvgPool2dLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.poolSize = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.strides = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.padding = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for AvgPool2dLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.AvgPool2dLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            AvgPool2dLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.AvgPool2dLayer";
            };

            return AvgPool2dLayer;
        })();

        v1.GlobalAvgPool2dLayer = (function() {

            /**
             * Properties of a GlobalAvgPool2dLayer.
             * @memberof fedfuse.v1
             * @interface IGlobalAvgPool2dLayer
             */

            /**
             * Constructs a new GlobalAvgPool2dLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a GlobalAvgPool2dLayer.
             * @implements IGlobalAvgPool2dLayer
             * @constructor
             * @param {fedfuse.v1.IGlobalAvgPool2dLayer=} [properties] Properties to set
             */
            function GlobalAvgPool2dLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Creates a new GlobalAvgPool2dLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.GlobalAvgPool2dLayer
             * @static
             * @param {fedfuse.v1.IGlobalAvgPool2dLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.GlobalAvgPool2dLayer} GlobalAvgPool2dLayer instance
             */
            GlobalAvgPool2dLayer.create = function create(properties) {
                return new GlobalAvgPool2dLayer(properties);
            };

            /**
             * Encodes the specified GlobalAvgPool2dLayer message. Does not implicitly {@link fedfuse.v1.GlobalAvgPool2dLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.GlobalAvgPool2dLayer
             * @static
             * @param {fedfuse.v1.IGlobalAvgPool2dLayer} message GlobalAvgPool2dLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GlobalAvgPool2dLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                return writer;
            };

            /**
             * Decodes a GlobalAvgPool2dLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.GlobalAvgPool2dLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.GlobalAvgPool2dLayer} GlobalAvgPool2dLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GlobalAvgPool2dLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.GlobalAvgPool2dLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for GlobalAvgPool2dLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.GlobalAvgPool2dLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GlobalAvgPool2dLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.GlobalAvgPool2dLayer";
            };

            return GlobalAvgPool2dLayer;
        })();

        v1.ReshapeLayer = (function() {

            /**
             * Properties of a ReshapeLayer.
             * @memberof fedfuse.v1
             * @interface IReshapeLayer
             * @property {Array.<number>|null} [targetShape] ReshapeLayer targetShape
             */

            /**
             * Constructs a new ReshapeLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a ReshapeLayer.
             * @implements IReshapeLayer
             * @constructor
             * @param {fedfuse.v1.IReshapeLayer=} [properties] Properties to set
             */
            function ReshapeLayer(properties) {
                this.targetShape = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ReshapeLayer targetShape.
             * @member {Array.<number>} targetShape
             * @memberof fedfuse.v1.ReshapeLayer
             * @instance
             */
            ReshapeLayer.prototype.targetShape = $util.emptyArray;

            /**
             * Creates a new ReshapeLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ReshapeLayer
             * @static
             * @param {fedfuse.v1.IReshapeLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.ReshapeLayer} ReshapeLayer instance
             */
            ReshapeLayer.create = function create(properties) {
                return new ReshapeLayer(properties);
            };

            /**
             * Encodes the specified ReshapeLayer message. Does not implicitly {@link fedfuse.v1.ReshapeLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ReshapeLayer
             * @static
             * @param {fedfuse.v1.IReshapeLayer} message ReshapeLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReshapeLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.targetShape != null && message.targetShape.length) {
                    writer.uint32(/* id 1, wireType 2 =*/10).fork();
                    for (let i = 0; i < message.targetShape.length; ++i)
                        writer.uint32(message.targetShape[i]);
                    writer.ldelim();
                }
                return writer;
            };

            /**
             * Decodes a ReshapeLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ReshapeLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ReshapeLayer} ReshapeLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReshapeLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ReshapeLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.targetShape && message.targetShape.length))
                                message.targetShape = [];
                            if ((tag & 7) === 2) {
                                let end2 = reader.uint32() + reader.pos;
                                if (end2 > reader.len)
                                    throw RangeError("index out of range");
                                reader.len = end2;
                                while (reader.pos < end2)
                                    message.targetShape.push(reader.uint32());
                                if (reader.pos !== end2)
                                    throw RangeError("index out of range");
                                reader.len = end;
                            } else
                                message.targetShape.push(reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ReshapeLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.ReshapeLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ReshapeLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ReshapeLayer";
            };

            return ReshapeLayer;
        })();

        v1.BatchNormLayer = (function() {

            /**
             * Properties of a BatchNormLayer.
             * @memberof fedfuse.v1
             * @interface IBatchNormLayer
             * @property {number|null} [epsilon] BatchNormLayer epsilon
             * @property {number|null} [momentum] BatchNormLayer momentum
             * @property {boolean|null} [center] BatchNormLayer center
             * @property {boolean|null} [scale] BatchNormLayer scale
             */

            /**
             * Constructs a new BatchNormLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a BatchNormLayer.
             * @implements IBatchNormLayer
             * @constructor
             * @param {fedfuse.v1.IBatchNormLayer=} [properties] Properties to set
             */
            function BatchNormLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * BatchNormLayer epsilon.
             * @member {number} epsilon
             * @memberof fedfuse.v1.BatchNormLayer
             * @instance
             */
            BatchNormLayer.prototype.epsilon = 0;

            /**
             * BatchNormLayer momentum.
             * @member {number} momentum
             * @memberof fedfuse.v1.BatchNormLayer
             * @instance
             */
            BatchNormLayer.prototype.momentum = 0;

            /**
             * BatchNormLayer center.
             * @member {boolean} center
             * @memberof fedfuse.v1.BatchNormLayer
             * @instance
             */
            BatchNormLayer.prototype.center = false;

            /**
             * BatchNormLayer scale.
             * @member {boolean} scale
             * @memberof fedfuse.v1.BatchNormLayer
             * @instance
             */
            BatchNormLayer.prototype.scale = false;

            /**
             * Creates a new BatchNormLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.BatchNormLayer
             * @static
             * @param {fedfuse.v1.IBatchNormLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.BatchNormLayer} BatchNormLayer instance
             */
            BatchNormLayer.create = function create(properties) {
                return new BatchNormLayer(properties);
            };

            /**
             * Encodes the specified BatchNormLayer message. Does not implicitly {@link fedfuse.v1.BatchNormLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.BatchNormLayer
             * @static
             * @param {fedfuse.v1.IBatchNormLayer} message BatchNormLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BatchNormLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.epsilon != null && Object.hasOwnProperty.call(message, "epsilon"))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.epsilon);
                if (message.momentum != null && Object.hasOwnProperty.call(message, "momentum"))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.momentum);
                if (message.center != null && Object.hasOwnProperty.call(message, "center"))
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.center);
                if (message.scale != null && Object.hasOwnProperty.call(message, "scale"))
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.scale);
                return writer;
            };

            /**
             * Decodes a BatchNormLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.BatchNormLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.BatchNormLayer} BatchNormLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BatchNormLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.BatchNormLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.epsilon = reader.double();
                            break;
                        }
                    case 2: {
                            message.momentum = reader.double();
                            break;
                        }
                    case 3: {
                            message.center = reader.bool();
                            break;
                        }
                    case 4: {
                            message.scale = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for BatchNormLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.BatchNormLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            BatchNormLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.BatchNormLayer";
            };

            return BatchNormLayer;
        })();

        v1.DropoutLayer = (function() {

            /**
             * Properties of a DropoutLayer.
             * @memberof fedfuse.v1
             * @interface IDropoutLayer
             * @property {number|null} [rate] DropoutLayer rate
             */

            /**
             * Constructs a new DropoutLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents a DropoutLayer.
             * @implements IDropoutLayer
             * @constructor
             * @param {fedfuse.v1.IDropoutLayer=} [properties] Properties to set
             */
            function DropoutLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * DropoutLayer rate.
             * @member {number} rate
             * @memberof fedfuse.v1.DropoutLayer
             * @instance
             */
            DropoutLayer.prototype.rate = 0;

            /**
             * Creates a new DropoutLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.DropoutLayer
             * @static
             * @param {fedfuse.v1.IDropoutLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.DropoutLayer} DropoutLayer instance
             */
            DropoutLayer.create = function create(properties) {
                return new DropoutLayer(properties);
            };

            /**
             * Encodes the specified DropoutLayer message. Does not implicitly {@link fedfuse.v1.DropoutLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.DropoutLayer
             * @static
             * @param {fedfuse.v1.IDropoutLayer} message DropoutLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DropoutLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.rate != null && Object.hasOwnProperty.call(message, "rate"))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.rate);
                return writer;
            };

            /**
             * Decodes a DropoutLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.DropoutLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.DropoutLayer} DropoutLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DropoutLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.DropoutLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.rate = reader.double();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for DropoutLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.DropoutLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DropoutLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.DropoutLayer";
            };

            return DropoutLayer;
        })();

        v1.ActivationLayer = (function() {

            /**
             * Properties of an ActivationLayer.
             * @memberof fedfuse.v1
             * @interface IActivationLayer
             * @property {fedfuse.v1.Activation|null} [activation] ActivationLayer activation
             */

            /**
             * Constructs a new ActivationLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents an ActivationLayer.
             * @implements IActivationLayer
             * @constructor
             * @param {fedfuse.v1.IActivationLayer=} [properties] Properties to set
             */
            function ActivationLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ActivationLayer activation.
             * @member {fedfuse.v1.Activation} activation
             * @memberof fedfuse.v1.ActivationLayer
             * @instance
             */
            ActivationLayer.prototype.activation = 0;

            /**
             * Creates a new ActivationLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ActivationLayer
             * @static
             * @param {fedfuse.v1.IActivationLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.ActivationLayer} ActivationLayer instance
             */
            ActivationLayer.create = function create(properties) {
                return new ActivationLayer(properties);
            };

            /**
             * Encodes the specified ActivationLayer message. Does not implicitly {@link fedfuse.v1.ActivationLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ActivationLayer
             * @static
             * @param {fedfuse.v1.IActivationLayer} message ActivationLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActivationLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.activation != null && Object.hasOwnProperty.call(message, "activation"))
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.activation);
                return writer;
            };

            /**
             * Decodes an ActivationLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ActivationLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ActivationLayer} ActivationLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActivationLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ActivationLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.activation = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ActivationLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.ActivationLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ActivationLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ActivationLayer";
            };

            return ActivationLayer;
        })();

        v1.AddLayer = (function() {

            /**
             * Properties of an AddLayer.
             * @memberof fedfuse.v1
             * @interface IAddLayer
             */

            /**
             * Constructs a new AddLayer.
             * @memberof fedfuse.v1
             * @classdesc Represents an AddLayer.
             * @implements IAddLayer
             * @constructor
             * @param {fedfuse.v1.IAddLayer=} [properties] Properties to set
             */
            function AddLayer(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Creates a new AddLayer instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.AddLayer
             * @static
             * @param {fedfuse.v1.IAddLayer=} [properties] Properties to set
             * @returns {fedfuse.v1.AddLayer} AddLayer instance
             */
            AddLayer.create = function create(properties) {
                return new AddLayer(properties);
            };

            /**
             * Encodes the specified AddLayer message. Does not implicitly {@link fedfuse.v1.AddLayer.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.AddLayer
             * @static
             * @param {fedfuse.v1.IAddLayer} message AddLayer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AddLayer.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                return writer;
            };

            /**
             * Decodes an AddLayer message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.AddLayer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.AddLayer} AddLayer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AddLayer.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.AddLayer();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for AddLayer
             * @function getTypeUrl
             * @memberof fedfuse.v1.AddLayer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            AddLayer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.AddLayer";
            };

            return AddLayer;
        })();

        v1.LayerSpec = (function() {

            /**
             * Properties of a LayerSpec.
             * @memberof fedfuse.v1
             * @interface ILayerSpec
             * @property {fedfuse.v1.IDenseLayer|null} [dense] LayerSpec dense
             * @property {fedfuse.v1.IConv2dLayer|null} [conv2d] LayerSpec conv2d
             * @property {fedfuse.v1.IMaxPool2dLayer|null} [maxPool2d] LayerSpec maxPool2d
             * @property {fedfuse.v1.IFlattenLayer|null} [flatten] LayerSpec flatten
             * @property {fedfuse.v1.IDepthwiseConv2dLayer|null} [depthwiseConv2d] LayerSpec depthwiseConv2d
             * @property {fedfuse.v1.IAvgPool2dLayer|null} [avgPool2d] LayerSpec avgPool2d
             * @property {fedfuse.v1.IGlobalAvgPool2dLayer|null} [globalAvgPool2d] LayerSpec globalAvgPool2d
             * @property {fedfuse.v1.IReshapeLayer|null} [reshape] LayerSpec reshape
             * @property {fedfuse.v1.IBatchNormLayer|null} [batchNorm] LayerSpec batchNorm
             * @property {fedfuse.v1.IDropoutLayer|null} [dropout] LayerSpec dropout
             * @property {fedfuse.v1.IActivationLayer|null} [activation] LayerSpec activation
             * @property {fedfuse.v1.IAddLayer|null} [add] LayerSpec add
             * @property {Array.<number>|null} [inputs] LayerSpec inputs
             */

            /**
             * Constructs a new LayerSpec.
             * @memberof fedfuse.v1
             * @classdesc Represents a LayerSpec.
             * @implements ILayerSpec
             * @constructor
             * @param {fedfuse.v1.ILayerSpec=} [properties] Properties to set
             */
            function LayerSpec(properties) {
                this.inputs = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * LayerSpec dense.
             * @member {fedfuse.v1.IDenseLayer|null|undefined} dense
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.dense = null;

            /**
             * LayerSpec conv2d.
             * @member {fedfuse.v1.IConv2dLayer|null|undefined} conv2d
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.conv2d = null;

            /**
             * LayerSpec maxPool2d.
             * @member {fedfuse.v1.IMaxPool2dLayer|null|undefined} maxPool2d
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.maxPool2d = null;

            /**
             * LayerSpec flatten.
             * @member {fedfuse.v1.IFlattenLayer|null|undefined} flatten
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.flatten = null;

            /**
             * LayerSpec depthwiseConv2d.
             * @member {fedfuse.v1.IDepthwiseConv2dLayer|null|undefined} depthwiseConv2d
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.depthwiseConv2d = null;

            /**
             * LayerSpec avgPool2d.
             * @member {fedfuse.v1.IAvgPool2dLayer|null|undefined} avgPool2d
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.avgPool2d = null;

            /**
             * LayerSpec globalAvgPool2d.
             * @member {fedfuse.v1.IGlobalAvgPool2dLayer|null|undefined} globalAvgPool2d
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.globalAvgPool2d = null;

            /**
             * LayerSpec reshape.
             * @member {fedfuse.v1.IReshapeLayer|null|undefined} reshape
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.reshape = null;

            /**
             * LayerSpec batchNorm.
             * @member {fedfuse.v1.IBatchNormLayer|null|undefined} batchNorm
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.batchNorm = null;

            /**
             * LayerSpec dropout.
             * @member {fedfuse.v1.IDropoutLayer|null|undefined} dropout
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.dropout = null;

            /**
             * LayerSpec activation.
             * @member {fedfuse.v1.IActivationLayer|null|undefined} activation
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.activation = null;

            /**
             * LayerSpec add.
             * @member {fedfuse.v1.IAddLayer|null|undefined} add
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.add = null;

            /**
             * LayerSpec inputs.
             * @member {Array.<number>} inputs
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            LayerSpec.prototype.inputs = $util.emptyArray;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * LayerSpec kind.
             * @member {"dense"|"conv2d"|"maxPool2d"|"flatten"|"depthwiseConv2d"|"avgPool2d"|"globalAvgPool2d"|"reshape"|"batchNorm"|"dropout"|"activation"|"add"|undefined} kind
             * @memberof fedfuse.v1.LayerSpec
             * @instance
             */
            Object.defineProperty(LayerSpec.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["dense", "conv2d", "maxPool2d", "flatten", "depthwiseConv2d", "avgPool2d", "globalAvgPool2d", "reshape", "batchNorm", "dropout", "activation", "add"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new LayerSpec instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.LayerSpec
             * @static
             * @param {fedfuse.v1.ILayerSpec=} [properties] Properties to set
             * @returns {fedfuse.v1.LayerSpec} LayerSpec instance
             */
            LayerSpec.create = function create(properties) {
                return new LayerSpec(properties);
            };

            /**
             * Encodes the specified LayerSpec message. Does not implicitly {@link fedfuse.v1.LayerSpec.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.LayerSpec
             * @static
             * @param {fedfuse.v1.ILayerSpec} message LayerSpec message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LayerSpec.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.dense != null && Object.hasOwnProperty.call(message, "dense"))
                    $root.fedfuse.v1.DenseLayer.encode(message.dense, writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                if (message.conv2d != null && Object.hasOwnProperty.call(message, "conv2d"))
                    $root.fedfuse.v1.Conv2dLayer.encode(message.conv2d, writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                if (message.maxPool2d != null && Object.hasOwnProperty.call(message, "maxPool2d"))
                    $root.fedfuse.v1.MaxPool2dLayer.encode(message.maxPool2d, writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (message.flatten != null && Object.hasOwnProperty.call(message, "flatten"))
                    $root.fedfuse.v1.FlattenLayer.encode(message.flatten, writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (message.depthwiseConv2d != null && Object.hasOwnProperty.call(message, "depthwiseConv2d"))
                    $root.fedfuse.v1.DepthwiseConv2dLayer.encode(message.depthwiseConv2d, writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                if (message.avgPool2d != null && Object.hasOwnProperty.call(message, "avgPool2d"))
                    $root.fedfuse.v1.AvgPool2dLayer.encode(message.avgPool2d, writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
                if (message.globalAvgPool2d != null && Object.hasOwnProperty.call(message, "globalAvgPool2d"))
                    $root.fedfuse.v1.GlobalAvgPool2dLayer.encode(message.globalAvgPool2d, writer.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                if (message.reshape != null && Object.hasOwnProperty.call(message, "reshape"))
                    $root.fedfuse.v1.ReshapeLayer.encode(message.reshape, writer.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                if (message.batchNorm != null && Object.hasOwnProperty.call(message, "batchNorm"))
                    $root.fedfuse.v1.BatchNormLayer.encode(message.batchNorm, writer.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
                if (message.dropout != null && Object.hasOwnProperty.call(message, "dropout"))
                    $root.fedfuse.v1.DropoutLayer.encode(message.dropout, writer.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                if (message.activation != null && Object.hasOwnProperty.call(message, "activation"))
                    $root.fedfuse.v1.ActivationLayer.encode(message.activation, writer.uint32(/* id 11, wireType 2 =*/90).fork(), q + 1).ldelim();
                if (message.add != null && Object.hasOwnProperty.call(message, "add"))
                    $root.fedfuse.v1.AddLayer.encode(message.add, writer.uint32(/* id 12, wireType 2 =*/98).fork(), q + 1).ldelim();
                if (message.inputs != null && message.inputs.length) {
                    writer.uint32(/* id 20, wireType 2 =*/162).fork();
                    for (let i = 0; i < message.inputs.length; ++i)
                        writer.sint32(message.inputs[i]);
                    writer.ldelim();
                }
                return writer;
            };

            /**
             * Decodes a LayerSpec message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.LayerSpec
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.LayerSpec} LayerSpec
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LayerSpec.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.LayerSpec();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.dense = $root.fedfuse.v1.DenseLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.conv2d = $root.fedfuse.v1.Conv2dLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 3: {
                            message.maxPool2d = $root.fedfuse.v1.MaxPool2dLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 4: {
                            message.flatten = $root.fedfuse.v1.FlattenLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.depthwiseConv2d = $root.fedfuse.v1.DepthwiseConv2dLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 6: {
                            message.avgPool2d = $root.fedfuse.v1.AvgPool2dLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 7: {
                            message.globalAvgPool2d = $root.fedfuse.v1.GlobalAvgPool2dLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 8: {
                            message.reshape = $root.fedfuse.v1.ReshapeLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 9: {
                            message.batchNorm = $root.fedfuse.v1.BatchNormLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 10: {
                            message.dropout = $root.fedfuse.v1.DropoutLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 11: {
                            message.activation = $root.fedfuse.v1.ActivationLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 12: {
                            message.add = $root.fedfuse.v1.AddLayer.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 20: {
                            if (!(message.inputs && message.inputs.length))
                                message.inputs = [];
                            if ((tag & 7) === 2) {
                                let end2 = reader.uint32() + reader.pos;
                                if (end2 > reader.len)
                                    throw RangeError("index out of range");
                                reader.len = end2;
                                while (reader.pos < end2)
                                    message.inputs.push(reader.sint32());
                                if (reader.pos !== end2)
                                    throw RangeError("index out of range");
                                reader.len = end;
                            } else
                                message.inputs.push(reader.sint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for LayerSpec
             * @function getTypeUrl
             * @memberof fedfuse.v1.LayerSpec
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            LayerSpec.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.LayerSpec";
            };

            return LayerSpec;
        })();

        v1.ModelSpec = (function() {

            /**
             * Properties of a ModelSpec.
             * @memberof fedfuse.v1
             * @interface IModelSpec
             * @property {Array.<number>|null} [inputShape] ModelSpec inputShape
             * @property {fedfuse.v1.OutputActivation|null} [outputActivation] ModelSpec outputActivation
             * @property {Array.<fedfuse.v1.ILayerSpec>|null} [layers] ModelSpec layers
             */

            /**
             * Constructs a new ModelSpec.
             * @memberof fedfuse.v1
             * @classdesc Represents a ModelSpec.
             * @implements IModelSpec
             * @constructor
             * @param {fedfuse.v1.IModelSpec=} [properties] Properties to set
             */
            function ModelSpec(properties) {
                this.inputShape = [];
                this.layers = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ModelSpec inputShape.
             * @member {Array.<number>} inputShape
             * @memberof fedfuse.v1.ModelSpec
             * @instance
             */
            ModelSpec.prototype.inputShape = $util.emptyArray;

            /**
             * ModelSpec outputActivation.
             * @member {fedfuse.v1.OutputActivation} outputActivation
             * @memberof fedfuse.v1.ModelSpec
             * @instance
             */
            ModelSpec.prototype.outputActivation = 0;

            /**
             * ModelSpec layers.
             * @member {Array.<fedfuse.v1.ILayerSpec>} layers
             * @memberof fedfuse.v1.ModelSpec
             * @instance
             */
            ModelSpec.prototype.layers = $util.emptyArray;

            /**
             * Creates a new ModelSpec instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ModelSpec
             * @static
             * @param {fedfuse.v1.IModelSpec=} [properties] Properties to set
             * @returns {fedfuse.v1.ModelSpec} ModelSpec instance
             */
            ModelSpec.create = function create(properties) {
                return new ModelSpec(properties);
            };

            /**
             * Encodes the specified ModelSpec message. Does not implicitly {@link fedfuse.v1.ModelSpec.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ModelSpec
             * @static
             * @param {fedfuse.v1.IModelSpec} message ModelSpec message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ModelSpec.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.inputShape != null && message.inputShape.length) {
                    writer.uint32(/* id 1, wireType 2 =*/10).fork();
                    for (let i = 0; i < message.inputShape.length; ++i)
                        writer.uint32(message.inputShape[i]);
                    writer.ldelim();
                }
                if (message.outputActivation != null && Object.hasOwnProperty.call(message, "outputActivation"))
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.outputActivation);
                if (message.layers != null && message.layers.length)
                    for (let i = 0; i < message.layers.length; ++i)
                        $root.fedfuse.v1.LayerSpec.encode(message.layers[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a ModelSpec message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ModelSpec
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ModelSpec} ModelSpec
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ModelSpec.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ModelSpec();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.inputShape && message.inputShape.length))
                                message.inputShape = [];
                            if ((tag & 7) === 2) {
                                let end2 = reader.uint32() + reader.pos;
                                if (end2 > reader.len)
                                    throw RangeError("index out of range");
                                reader.len = end2;
                                while (reader.pos < end2)
                                    message.inputShape.push(reader.uint32());
                                if (reader.pos !== end2)
                                    throw RangeError("index out of range");
                                reader.len = end;
                            } else
                                message.inputShape.push(reader.uint32());
                            break;
                        }
                    case 2: {
                            message.outputActivation = reader.int32();
                            break;
                        }
                    case 3: {
                            if (!(message.layers && message.layers.length))
                                message.layers = [];
                            message.layers.push($root.fedfuse.v1.LayerSpec.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ModelSpec
             * @function getTypeUrl
             * @memberof fedfuse.v1.ModelSpec
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ModelSpec.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ModelSpec";
            };

            return ModelSpec;
        })();

        v1.Model = (function() {

            /**
             * Properties of a Model.
             * @memberof fedfuse.v1
             * @interface IModel
             * @property {fedfuse.v1.IModelSpec|null} [spec] Model spec
             * @property {Array.<fedfuse.v1.ITensor>|null} [tensors] Model tensors
             */

            /**
             * Constructs a new Model.
             * @memberof fedfuse.v1
             * @classdesc Represents a Model.
             * @implements IModel
             * @constructor
             * @param {fedfuse.v1.IModel=} [properties] Properties to set
             */
            function Model(properties) {
                this.tensors = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Model spec.
             * @member {fedfuse.v1.IModelSpec|null|undefined} spec
             * @memberof fedfuse.v1.Model
             * @instance
             */
            Model.prototype.spec = null;

            /**
             * Model tensors.
             * @member {Array.<fedfuse.v1.ITensor>} tensors
             * @memberof fedfuse.v1.Model
             * @instance
             */
            Model.prototype.tensors = $util.emptyArray;

            /**
             * Creates a new Model instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Model
             * @static
             * @param {fedfuse.v1.IModel=} [properties] Properties to set
             * @returns {fedfuse.v1.Model} Model instance
             */
            Model.create = function create(properties) {
                return new Model(properties);
            };

            /**
             * Encodes the specified Model message. Does not implicitly {@link fedfuse.v1.Model.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Model
             * @static
             * @param {fedfuse.v1.IModel} message Model message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Model.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.spec != null && Object.hasOwnProperty.call(message, "spec"))
                    $root.fedfuse.v1.ModelSpec.encode(message.spec, writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                if (message.tensors != null && message.tensors.length)
                    for (let i = 0; i < message.tensors.length; ++i)
                        $root.fedfuse.v1.Tensor.encode(message.tensors[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a Model message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Model
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Model} Model
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Model.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.Model();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.spec = $root.fedfuse.v1.ModelSpec.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            if (!(message.tensors && message.tensors.length))
                                message.tensors = [];
                            message.tensors.push($root.fedfuse.v1.Tensor.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Model
             * @function getTypeUrl
             * @memberof fedfuse.v1.Model
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Model.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.Model";
            };

            return Model;
        })();

        v1.LayerScores = (function() {

            /**
             * Properties of a LayerScores.
             * @memberof fedfuse.v1
             * @interface ILayerScores
             * @property {Uint8Array|null} [scores] LayerScores scores
             */

            /**
             * Constructs a new LayerScores.
             * @memberof fedfuse.v1
             * @classdesc Represents a LayerScores.
             * @implements ILayerScores
             * @constructor
             * @param {fedfuse.v1.ILayerScores=} [properties] Properties to set
             */
            function LayerScores(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * LayerScores scores.
             * @member {Uint8Array} scores
             * @memberof fedfuse.v1.LayerScores
             * @instance
             */
            LayerScores.prototype.scores = $util.newBuffer([]);

            /**
             * Creates a new LayerScores instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.LayerScores
             * @static
             * @param {fedfuse.v1.ILayerScores=} [properties] Properties to set
             * @returns {fedfuse.v1.LayerScores} LayerScores instance
             */
            LayerScores.create = function create(properties) {
                return new LayerScores(properties);
            };

            /**
             * Encodes the specified LayerScores message. Does not implicitly {@link fedfuse.v1.LayerScores.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.LayerScores
             * @static
             * @param {fedfuse.v1.ILayerScores} message LayerScores message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LayerScores.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.scores != null && Object.hasOwnProperty.call(message, "scores"))
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.scores);
                return writer;
            };

            /**
             * Decodes a LayerScores message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.LayerScores
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.LayerScores} LayerScores
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LayerScores.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.LayerScores();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.scores = reader.bytes();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for LayerScores
             * @function getTypeUrl
             * @memberof fedfuse.v1.LayerScores
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            LayerScores.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.LayerScores";
            };

            return LayerScores;
        })();

        v1.AttributionSummary = (function() {

            /**
             * Properties of an AttributionSummary.
             * @memberof fedfuse.v1
             * @interface IAttributionSummary
             * @property {string|null} [method] AttributionSummary method
             * @property {number|null} [samplesUsed] AttributionSummary samplesUsed
             * @property {Array.<fedfuse.v1.ILayerScores>|null} [layers] AttributionSummary layers
             */

            /**
             * Constructs a new AttributionSummary.
             * @memberof fedfuse.v1
             * @classdesc Represents an AttributionSummary.
             * @implements IAttributionSummary
             * @constructor
             * @param {fedfuse.v1.IAttributionSummary=} [properties] Properties to set
             */
            function AttributionSummary(properties) {
                this.layers = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * AttributionSummary method.
             * @member {string} method
             * @memberof fedfuse.v1.AttributionSummary
             * @instance
             */
            AttributionSummary.prototype.method = "";

            /**
             * AttributionSummary samplesUsed.
             * @member {number} samplesUsed
             * @memberof fedfuse.v1.AttributionSummary
             * @instance
             */
            AttributionSummary.prototype.samplesUsed = 0;

            /**
             * AttributionSummary layers.
             * @member {Array.<fedfuse.v1.ILayerScores>} layers
             * @memberof fedfuse.v1.AttributionSummary
             * @instance
             */
            AttributionSummary.prototype.layers = $util.emptyArray;

            /**
             * Creates a new AttributionSummary instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.AttributionSummary
             * @static
             * @param {fedfuse.v1.IAttributionSummary=} [properties] Properties to set
             * @returns {fedfuse.v1.AttributionSummary} AttributionSummary instance
             */
            AttributionSummary.create = function create(properties) {
                return new AttributionSummary(properties);
            };

            /**
             * Encodes the specified AttributionSummary message. Does not implicitly {@link fedfuse.v1.AttributionSummary.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.AttributionSummary
             * @static
             * @param {fedfuse.v1.IAttributionSummary} message AttributionSummary message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AttributionSummary.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.method != null && Object.hasOwnProperty.call(message, "method"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.method);
                if (message.samplesUsed != null && Object.hasOwnProperty.call(message, "samplesUsed"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.samplesUsed);
                if (message.layers != null && message.layers.length)
                    for (let i = 0; i < message.layers.length; ++i)
                        $root.fedfuse.v1.LayerScores.encode(message.layers[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes an AttributionSummary message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.AttributionSummary
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.AttributionSummary} AttributionSummary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AttributionSummary.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.AttributionSummary();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.method = reader.string();
                            break;
                        }
                    case 2: {
                            message.samplesUsed = reader.uint32();
                            break;
                        }
                    case 3: {
                            if (!(message.layers && message.layers.length))
                                message.layers = [];
                            message.layers.push($root.fedfuse.v1.LayerScores.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for AttributionSummary
             * @function getTypeUrl
             * @memberof fedfuse.v1.AttributionSummary
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            AttributionSummary.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.AttributionSummary";
            };

            return AttributionSummary;
        })();

        /**
         * Optimizer enum.
         * @name fedfuse.v1.Optimizer
         * @enum {number}
         * @property {number} OPTIMIZER_UNSPECIFIED=0 OPTIMIZER_UNSPECIFIED value
         * @property {number} OPTIMIZER_SGD=1 OPTIMIZER_SGD value
         * @property {number} OPTIMIZER_ADAM=2 OPTIMIZER_ADAM value
         */
        v1.Optimizer = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "OPTIMIZER_UNSPECIFIED"] = 0;
            values[valuesById[1] = "OPTIMIZER_SGD"] = 1;
            values[valuesById[2] = "OPTIMIZER_ADAM"] = 2;
            return values;
        })();

        v1.TrainingConfig = (function() {

            /**
             * Properties of a TrainingConfig.
             * @memberof fedfuse.v1
             * @interface ITrainingConfig
             * @property {number|null} [epochs] TrainingConfig epochs
             * @property {number|null} [batchSize] TrainingConfig batchSize
             * @property {number|null} [learningRate] TrainingConfig learningRate
             * @property {fedfuse.v1.Optimizer|null} [optimizer] TrainingConfig optimizer
             * @property {number|null} [proximalMu] TrainingConfig proximalMu
             * @property {string|null} [attributionMethod] TrainingConfig attributionMethod
             * @property {number|null} [attributionSamples] TrainingConfig attributionSamples
             */

            /**
             * Constructs a new TrainingConfig.
             * @memberof fedfuse.v1
             * @classdesc Represents a TrainingConfig.
             * @implements ITrainingConfig
             * @constructor
             * @param {fedfuse.v1.ITrainingConfig=} [properties] Properties to set
             */
            function TrainingConfig(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * TrainingConfig epochs.
             * @member {number} epochs
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.epochs = 0;

            /**
             * TrainingConfig batchSize.
             * @member {number} batchSize
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.batchSize = 0;

            /**
             * TrainingConfig learningRate.
             * @member {number} learningRate
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.learningRate = 0;

            /**
             * TrainingConfig optimizer.
             * @member {fedfuse.v1.Optimizer} optimizer
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.optimizer = 0;

            /**
             * TrainingConfig proximalMu.
             * @member {number} proximalMu
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.proximalMu = 0;

            /**
             * TrainingConfig attributionMethod.
             * @member {string} attributionMethod
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.attributionMethod = "";

            /**
             * TrainingConfig attributionSamples.
             * @member {number} attributionSamples
             * @memberof fedfuse.v1.TrainingConfig
             * @instance
             */
            TrainingConfig.prototype.attributionSamples = 0;

            /**
             * Creates a new TrainingConfig instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {fedfuse.v1.ITrainingConfig=} [properties] Properties to set
             * @returns {fedfuse.v1.TrainingConfig} TrainingConfig instance
             */
            TrainingConfig.create = function create(properties) {
                return new TrainingConfig(properties);
            };

            /**
             * Encodes the specified TrainingConfig message. Does not implicitly {@link fedfuse.v1.TrainingConfig.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {fedfuse.v1.ITrainingConfig} message TrainingConfig message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TrainingConfig.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.epochs != null && Object.hasOwnProperty.call(message, "epochs"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.epochs);
                if (message.batchSize != null && Object.hasOwnProperty.call(message, "batchSize"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.batchSize);
                if (message.learningRate != null && Object.hasOwnProperty.call(message, "learningRate"))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.learningRate);
                if (message.optimizer != null && Object.hasOwnProperty.call(message, "optimizer"))
                    writer.uint32(/* id 4, wireType 0 =*/32).int32(message.optimizer);
                if (message.proximalMu != null && Object.hasOwnProperty.call(message, "proximalMu"))
                    writer.uint32(/* id 5, wireType 1 =*/41).double(message.proximalMu);
                if (message.attributionMethod != null && Object.hasOwnProperty.call(message, "attributionMethod"))
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.attributionMethod);
                if (message.attributionSamples != null && Object.hasOwnProperty.call(message, "attributionSamples"))
                    writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.attributionSamples);
                return writer;
            };

            /**
             * Decodes a TrainingConfig message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.TrainingConfig} TrainingConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TrainingConfig.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.TrainingConfig();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.epochs = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.batchSize = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.learningRate = reader.double();
                            break;
                        }
                    case 4: {
                            message.optimizer = reader.int32();
                            break;
                        }
                    case 5: {
                            message.proximalMu = reader.double();
                            break;
                        }
                    case 6: {
                            message.attributionMethod = reader.string();
                            break;
                        }
                    case 7: {
                            message.attributionSamples = reader.uint32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for TrainingConfig
             * @function getTypeUrl
             * @memberof fedfuse.v1.TrainingConfig
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            TrainingConfig.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.TrainingConfig";
            };

            return TrainingConfig;
        })();

        v1.TrainingMetrics = (function() {

            /**
             * Properties of a TrainingMetrics.
             * @memberof fedfuse.v1
             * @interface ITrainingMetrics
             * @property {number|null} [loss] TrainingMetrics loss
             * @property {number|null} [accuracy] TrainingMetrics accuracy
             * @property {number|null} [trainSeconds] TrainingMetrics trainSeconds
             * @property {number|null} [attributionSeconds] TrainingMetrics attributionSeconds
             */

            /**
             * Constructs a new TrainingMetrics.
             * @memberof fedfuse.v1
             * @classdesc Represents a TrainingMetrics.
             * @implements ITrainingMetrics
             * @constructor
             * @param {fedfuse.v1.ITrainingMetrics=} [properties] Properties to set
             */
            function TrainingMetrics(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * TrainingMetrics loss.
             * @member {number} loss
             * @memberof fedfuse.v1.TrainingMetrics
             * @instance
             */
            TrainingMetrics.prototype.loss = 0;

            /**
             * TrainingMetrics accuracy.
             * @member {number} accuracy
             * @memberof fedfuse.v1.TrainingMetrics
             * @instance
             */
            TrainingMetrics.prototype.accuracy = 0;

            /**
             * TrainingMetrics trainSeconds.
             * @member {number} trainSeconds
             * @memberof fedfuse.v1.TrainingMetrics
             * @instance
             */
            TrainingMetrics.prototype.trainSeconds = 0;

            /**
             * TrainingMetrics attributionSeconds.
             * @member {number} attributionSeconds
             * @memberof fedfuse.v1.TrainingMetrics
             * @instance
             */
            TrainingMetrics.prototype.attributionSeconds = 0;

            /**
             * Creates a new TrainingMetrics instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.TrainingMetrics
             * @static
             * @param {fedfuse.v1.ITrainingMetrics=} [properties] Properties to set
             * @returns {fedfuse.v1.TrainingMetrics} TrainingMetrics instance
             */
            TrainingMetrics.create = function create(properties) {
                return new TrainingMetrics(properties);
            };

            /**
             * Encodes the specified TrainingMetrics message. Does not implicitly {@link fedfuse.v1.TrainingMetrics.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.TrainingMetrics
             * @static
             * @param {fedfuse.v1.ITrainingMetrics} message TrainingMetrics message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TrainingMetrics.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.loss != null && Object.hasOwnProperty.call(message, "loss"))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.loss);
                if (message.accuracy != null && Object.hasOwnProperty.call(message, "accuracy"))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.accuracy);
                if (message.trainSeconds != null && Object.hasOwnProperty.call(message, "trainSeconds"))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.trainSeconds);
                if (message.attributionSeconds != null && Object.hasOwnProperty.call(message, "attributionSeconds"))
                    writer.uint32(/* id 4, wireType 1 =*/33).double(message.attributionSeconds);
                return writer;
            };

            /**
             * Decodes a TrainingMetrics message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.TrainingMetrics
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.TrainingMetrics} TrainingMetrics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TrainingMetrics.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.TrainingMetrics();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.loss = reader.double();
                            break;
                        }
                    case 2: {
                            message.accuracy = reader.double();
                            break;
                        }
                    case 3: {
                            message.trainSeconds = reader.double();
                            break;
                        }
                    case 4: {
                            message.attributionSeconds = reader.double();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for TrainingMetrics
             * @function getTypeUrl
             * @memberof fedfuse.v1.TrainingMetrics
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            TrainingMetrics.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.TrainingMetrics";
            };

            return TrainingMetrics;
        })();

        v1.ClientHello = (function() {

            /**
             * Properties of a ClientHello.
             * @memberof fedfuse.v1
             * @interface IClientHello
             * @property {string|null} [clientId] ClientHello clientId
             * @property {string|null} [softwareVersion] ClientHello softwareVersion
             * @property {number|null} [numExamples] ClientHello numExamples
             * @property {Array.<number>|null} [labelHistogram] ClientHello labelHistogram
             * @property {number|null} [widthCapacity] ClientHello widthCapacity
             */

            /**
             * Constructs a new ClientHello.
             * @memberof fedfuse.v1
             * @classdesc Represents a ClientHello.
             * @implements IClientHello
             * @constructor
             * @param {fedfuse.v1.IClientHello=} [properties] Properties to set
             */
            function ClientHello(properties) {
                this.labelHistogram = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ClientHello clientId.
             * @member {string} clientId
             * @memberof fedfuse.v1.ClientHello
             * @instance
             */
            ClientHello.prototype.clientId = "";

            /**
             * ClientHello softwareVersion.
             * @member {string} softwareVersion
             * @memberof fedfuse.v1.ClientHello
             * @instance
             */
            ClientHello.prototype.softwareVersion = "";

            /**
             * ClientHello numExamples.
             * @member {number} numExamples
             * @memberof fedfuse.v1.ClientHello
             * @instance
             */
            ClientHello.prototype.numExamples = 0;

            /**
             * ClientHello labelHistogram.
             * @member {Array.<number>} labelHistogram
             * @memberof fedfuse.v1.ClientHello
             * @instance
             */
            ClientHello.prototype.labelHistogram = $util.emptyArray;

            /**
             * ClientHello widthCapacity.
             * @member {number} widthCapacity
             * @memberof fedfuse.v1.ClientHello
             * @instance
             */
            ClientHello.prototype.widthCapacity = 0;

            /**
             * Creates a new ClientHello instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ClientHello
             * @static
             * @param {fedfuse.v1.IClientHello=} [properties] Properties to set
             * @returns {fedfuse.v1.ClientHello} ClientHello instance
             */
            ClientHello.create = function create(properties) {
                return new ClientHello(properties);
            };

            /**
             * Encodes the specified ClientHello message. Does not implicitly {@link fedfuse.v1.ClientHello.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ClientHello
             * @static
             * @param {fedfuse.v1.IClientHello} message ClientHello message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClientHello.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.clientId != null && Object.hasOwnProperty.call(message, "clientId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.clientId);
                if (message.softwareVersion != null && Object.hasOwnProperty.call(message, "softwareVersion"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.softwareVersion);
                if (message.numExamples != null && Object.hasOwnProperty.call(message, "numExamples"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.numExamples);
                if (message.labelHistogram != null && message.labelHistogram.length) {
                    writer.uint32(/* id 5, wireType 2 =*/42).fork();
                    for (let i = 0; i < message.labelHistogram.length; ++i)
                        writer.uint32(message.labelHistogram[i]);
                    writer.ldelim();
                }
                if (message.widthCapacity != null && Object.hasOwnProperty.call(message, "widthCapacity"))
                    writer.uint32(/* id 50, wireType 5 =*/405).float(message.widthCapacity);
                return writer;
            };

            /**
             * Decodes a ClientHello message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ClientHello
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ClientHello} ClientHello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClientHello.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ClientHello();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.clientId = reader.string();
                            break;
                        }
                    case 3: {
                            message.softwareVersion = reader.string();
                            break;
                        }
                    case 4: {
                            message.numExamples = reader.uint32();
                            break;
                        }
                    case 5: {
                            if (!(message.labelHistogram && message.labelHistogram.length))
                                message.labelHistogram = [];
                            if ((tag & 7) === 2) {
                                let end2 = reader.uint32() + reader.pos;
                                if (end2 > reader.len)
                                    throw RangeError("index out of range");
                                reader.len = end2;
                                while (reader.pos < end2)
                                    message.labelHistogram.push(reader.uint32());
                                if (reader.pos !== end2)
                                    throw RangeError("index out of range");
                                reader.len = end;
                            } else
                                message.labelHistogram.push(reader.uint32());
                            break;
                        }
                    case 50: {
                            message.widthCapacity = reader.float();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ClientHello
             * @function getTypeUrl
             * @memberof fedfuse.v1.ClientHello
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ClientHello.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ClientHello";
            };

            return ClientHello;
        })();

        v1.Welcome = (function() {

            /**
             * Properties of a Welcome.
             * @memberof fedfuse.v1
             * @interface IWelcome
             * @property {string|null} [runId] Welcome runId
             * @property {number|null} [currentRound] Welcome currentRound
             * @property {string|null} [serverVersion] Welcome serverVersion
             * @property {boolean|null} [runFinished] Welcome runFinished
             * @property {fedfuse.v1.IDataCarve|null} [dataCarve] Welcome dataCarve
             */

            /**
             * Constructs a new Welcome.
             * @memberof fedfuse.v1
             * @classdesc Represents a Welcome.
             * @implements IWelcome
             * @constructor
             * @param {fedfuse.v1.IWelcome=} [properties] Properties to set
             */
            function Welcome(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Welcome runId.
             * @member {string} runId
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.runId = "";

            /**
             * Welcome currentRound.
             * @member {number} currentRound
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.currentRound = 0;

            /**
             * Welcome serverVersion.
             * @member {string} serverVersion
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.serverVersion = "";

            /**
             * Welcome runFinished.
             * @member {boolean} runFinished
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.runFinished = false;

            /**
             * Welcome dataCarve.
             * @member {fedfuse.v1.IDataCarve|null|undefined} dataCarve
             * @memberof fedfuse.v1.Welcome
             * @instance
             */
            Welcome.prototype.dataCarve = null;

            /**
             * Creates a new Welcome instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {fedfuse.v1.IWelcome=} [properties] Properties to set
             * @returns {fedfuse.v1.Welcome} Welcome instance
             */
            Welcome.create = function create(properties) {
                return new Welcome(properties);
            };

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link fedfuse.v1.Welcome.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {fedfuse.v1.IWelcome} message Welcome message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Welcome.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.runId != null && Object.hasOwnProperty.call(message, "runId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.runId);
                if (message.currentRound != null && Object.hasOwnProperty.call(message, "currentRound"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.currentRound);
                if (message.serverVersion != null && Object.hasOwnProperty.call(message, "serverVersion"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.serverVersion);
                if (message.runFinished != null && Object.hasOwnProperty.call(message, "runFinished"))
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.runFinished);
                if (message.dataCarve != null && Object.hasOwnProperty.call(message, "dataCarve"))
                    $root.fedfuse.v1.DataCarve.encode(message.dataCarve, writer.uint32(/* id 70, wireType 2 =*/562).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Welcome} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Welcome.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.Welcome();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.runId = reader.string();
                            break;
                        }
                    case 2: {
                            message.currentRound = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.serverVersion = reader.string();
                            break;
                        }
                    case 4: {
                            message.runFinished = reader.bool();
                            break;
                        }
                    case 70: {
                            message.dataCarve = $root.fedfuse.v1.DataCarve.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Welcome
             * @function getTypeUrl
             * @memberof fedfuse.v1.Welcome
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Welcome.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.Welcome";
            };

            return Welcome;
        })();

        v1.DataCarve = (function() {

            /**
             * Properties of a DataCarve.
             * @memberof fedfuse.v1
             * @interface IDataCarve
             * @property {string|null} [dataset] DataCarve dataset
             * @property {number|null} [splitSeed] DataCarve splitSeed
             * @property {number|null} [calibrationSize] DataCarve calibrationSize
             * @property {number|null} [testSize] DataCarve testSize
             */

            /**
             * Constructs a new DataCarve.
             * @memberof fedfuse.v1
             * @classdesc Represents a DataCarve.
             * @implements IDataCarve
             * @constructor
             * @param {fedfuse.v1.IDataCarve=} [properties] Properties to set
             */
            function DataCarve(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * DataCarve dataset.
             * @member {string} dataset
             * @memberof fedfuse.v1.DataCarve
             * @instance
             */
            DataCarve.prototype.dataset = "";

            /**
             * DataCarve splitSeed.
             * @member {number} splitSeed
             * @memberof fedfuse.v1.DataCarve
             * @instance
             */
            DataCarve.prototype.splitSeed = 0;

            /**
             * DataCarve calibrationSize.
             * @member {number} calibrationSize
             * @memberof fedfuse.v1.DataCarve
             * @instance
             */
            DataCarve.prototype.calibrationSize = 0;

            /**
             * DataCarve testSize.
             * @member {number} testSize
             * @memberof fedfuse.v1.DataCarve
             * @instance
             */
            DataCarve.prototype.testSize = 0;

            /**
             * Creates a new DataCarve instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.DataCarve
             * @static
             * @param {fedfuse.v1.IDataCarve=} [properties] Properties to set
             * @returns {fedfuse.v1.DataCarve} DataCarve instance
             */
            DataCarve.create = function create(properties) {
                return new DataCarve(properties);
            };

            /**
             * Encodes the specified DataCarve message. Does not implicitly {@link fedfuse.v1.DataCarve.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.DataCarve
             * @static
             * @param {fedfuse.v1.IDataCarve} message DataCarve message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DataCarve.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.dataset != null && Object.hasOwnProperty.call(message, "dataset"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.dataset);
                if (message.splitSeed != null && Object.hasOwnProperty.call(message, "splitSeed"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.splitSeed);
                if (message.calibrationSize != null && Object.hasOwnProperty.call(message, "calibrationSize"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.calibrationSize);
                if (message.testSize != null && Object.hasOwnProperty.call(message, "testSize"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.testSize);
                return writer;
            };

            /**
             * Decodes a DataCarve message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.DataCarve
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.DataCarve} DataCarve
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DataCarve.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.DataCarve();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.dataset = reader.string();
                            break;
                        }
                    case 2: {
                            message.splitSeed = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.calibrationSize = reader.uint32();
                            break;
                        }
                    case 4: {
                            message.testSize = reader.uint32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for DataCarve
             * @function getTypeUrl
             * @memberof fedfuse.v1.DataCarve
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DataCarve.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.DataCarve";
            };

            return DataCarve;
        })();

        v1.RoundTask = (function() {

            /**
             * Properties of a RoundTask.
             * @memberof fedfuse.v1
             * @interface IRoundTask
             * @property {string|null} [runId] RoundTask runId
             * @property {number|null} [round] RoundTask round
             * @property {fedfuse.v1.IModel|null} [globalModel] RoundTask globalModel
             * @property {fedfuse.v1.ITrainingConfig|null} [training] RoundTask training
             * @property {number|Long|null} [deadlineUnixMs] RoundTask deadlineUnixMs
             * @property {fedfuse.v1.IRecordDict|null} [records] RoundTask records
             */

            /**
             * Constructs a new RoundTask.
             * @memberof fedfuse.v1
             * @classdesc Represents a RoundTask.
             * @implements IRoundTask
             * @constructor
             * @param {fedfuse.v1.IRoundTask=} [properties] Properties to set
             */
            function RoundTask(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * RoundTask runId.
             * @member {string} runId
             * @memberof fedfuse.v1.RoundTask
             * @instance
             */
            RoundTask.prototype.runId = "";

            /**
             * RoundTask round.
             * @member {number} round
             * @memberof fedfuse.v1.RoundTask
             * @instance
             */
            RoundTask.prototype.round = 0;

            /**
             * RoundTask globalModel.
             * @member {fedfuse.v1.IModel|null|undefined} globalModel
             * @memberof fedfuse.v1.RoundTask
             * @instance
             */
            RoundTask.prototype.globalModel = null;

            /**
             * RoundTask training.
             * @member {fedfuse.v1.ITrainingConfig|null|undefined} training
             * @memberof fedfuse.v1.RoundTask
             * @instance
             */
            RoundTask.prototype.training = null;

            /**
             * RoundTask deadlineUnixMs.
             * @member {number|Long} deadlineUnixMs
             * @memberof fedfuse.v1.RoundTask
             * @instance
             */
            RoundTask.prototype.deadlineUnixMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * RoundTask records.
             * @member {fedfuse.v1.IRecordDict|null|undefined} records
             * @memberof fedfuse.v1.RoundTask
             * @instance
             */
            RoundTask.prototype.records = null;

            /**
             * Creates a new RoundTask instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.RoundTask
             * @static
             * @param {fedfuse.v1.IRoundTask=} [properties] Properties to set
             * @returns {fedfuse.v1.RoundTask} RoundTask instance
             */
            RoundTask.create = function create(properties) {
                return new RoundTask(properties);
            };

            /**
             * Encodes the specified RoundTask message. Does not implicitly {@link fedfuse.v1.RoundTask.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.RoundTask
             * @static
             * @param {fedfuse.v1.IRoundTask} message RoundTask message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RoundTask.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.runId != null && Object.hasOwnProperty.call(message, "runId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.runId);
                if (message.round != null && Object.hasOwnProperty.call(message, "round"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.round);
                if (message.globalModel != null && Object.hasOwnProperty.call(message, "globalModel"))
                    $root.fedfuse.v1.Model.encode(message.globalModel, writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (message.training != null && Object.hasOwnProperty.call(message, "training"))
                    $root.fedfuse.v1.TrainingConfig.encode(message.training, writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (message.deadlineUnixMs != null && Object.hasOwnProperty.call(message, "deadlineUnixMs"))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.deadlineUnixMs);
                if (message.records != null && Object.hasOwnProperty.call(message, "records"))
                    $root.fedfuse.v1.RecordDict.encode(message.records, writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes a RoundTask message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.RoundTask
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.RoundTask} RoundTask
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RoundTask.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.RoundTask();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.runId = reader.string();
                            break;
                        }
                    case 2: {
                            message.round = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.globalModel = $root.fedfuse.v1.Model.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 4: {
                            message.training = $root.fedfuse.v1.TrainingConfig.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.deadlineUnixMs = reader.uint64();
                            break;
                        }
                    case 6: {
                            message.records = $root.fedfuse.v1.RecordDict.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for RoundTask
             * @function getTypeUrl
             * @memberof fedfuse.v1.RoundTask
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            RoundTask.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.RoundTask";
            };

            return RoundTask;
        })();

        v1.ClientUpdate = (function() {

            /**
             * Properties of a ClientUpdate.
             * @memberof fedfuse.v1
             * @interface IClientUpdate
             * @property {string|null} [runId] ClientUpdate runId
             * @property {number|null} [round] ClientUpdate round
             * @property {string|null} [clientId] ClientUpdate clientId
             * @property {fedfuse.v1.IModel|null} [model] ClientUpdate model
             * @property {fedfuse.v1.IAttributionSummary|null} [attribution] ClientUpdate attribution
             * @property {number|null} [numExamples] ClientUpdate numExamples
             * @property {fedfuse.v1.ITrainingMetrics|null} [metrics] ClientUpdate metrics
             * @property {fedfuse.v1.IRecordDict|null} [records] ClientUpdate records
             * @property {number|null} [localSteps] ClientUpdate localSteps
             */

            /**
             * Constructs a new ClientUpdate.
             * @memberof fedfuse.v1
             * @classdesc Represents a ClientUpdate.
             * @implements IClientUpdate
             * @constructor
             * @param {fedfuse.v1.IClientUpdate=} [properties] Properties to set
             */
            function ClientUpdate(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ClientUpdate runId.
             * @member {string} runId
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.runId = "";

            /**
             * ClientUpdate round.
             * @member {number} round
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.round = 0;

            /**
             * ClientUpdate clientId.
             * @member {string} clientId
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.clientId = "";

            /**
             * ClientUpdate model.
             * @member {fedfuse.v1.IModel|null|undefined} model
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.model = null;

            /**
             * ClientUpdate attribution.
             * @member {fedfuse.v1.IAttributionSummary|null|undefined} attribution
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.attribution = null;

            /**
             * ClientUpdate numExamples.
             * @member {number} numExamples
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.numExamples = 0;

            /**
             * ClientUpdate metrics.
             * @member {fedfuse.v1.ITrainingMetrics|null|undefined} metrics
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.metrics = null;

            /**
             * ClientUpdate records.
             * @member {fedfuse.v1.IRecordDict|null|undefined} records
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.records = null;

            /**
             * ClientUpdate localSteps.
             * @member {number} localSteps
             * @memberof fedfuse.v1.ClientUpdate
             * @instance
             */
            ClientUpdate.prototype.localSteps = 0;

            /**
             * Creates a new ClientUpdate instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {fedfuse.v1.IClientUpdate=} [properties] Properties to set
             * @returns {fedfuse.v1.ClientUpdate} ClientUpdate instance
             */
            ClientUpdate.create = function create(properties) {
                return new ClientUpdate(properties);
            };

            /**
             * Encodes the specified ClientUpdate message. Does not implicitly {@link fedfuse.v1.ClientUpdate.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {fedfuse.v1.IClientUpdate} message ClientUpdate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClientUpdate.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.runId != null && Object.hasOwnProperty.call(message, "runId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.runId);
                if (message.round != null && Object.hasOwnProperty.call(message, "round"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.round);
                if (message.clientId != null && Object.hasOwnProperty.call(message, "clientId"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.clientId);
                if (message.model != null && Object.hasOwnProperty.call(message, "model"))
                    $root.fedfuse.v1.Model.encode(message.model, writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (message.attribution != null && Object.hasOwnProperty.call(message, "attribution"))
                    $root.fedfuse.v1.AttributionSummary.encode(message.attribution, writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                if (message.numExamples != null && Object.hasOwnProperty.call(message, "numExamples"))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.numExamples);
                if (message.metrics != null && Object.hasOwnProperty.call(message, "metrics"))
                    $root.fedfuse.v1.TrainingMetrics.encode(message.metrics, writer.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                if (message.records != null && Object.hasOwnProperty.call(message, "records"))
                    $root.fedfuse.v1.RecordDict.encode(message.records, writer.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                if (message.localSteps != null && Object.hasOwnProperty.call(message, "localSteps"))
                    writer.uint32(/* id 9, wireType 0 =*/72).uint32(message.localSteps);
                return writer;
            };

            /**
             * Decodes a ClientUpdate message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.ClientUpdate} ClientUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClientUpdate.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.ClientUpdate();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.runId = reader.string();
                            break;
                        }
                    case 2: {
                            message.round = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.clientId = reader.string();
                            break;
                        }
                    case 4: {
                            message.model = $root.fedfuse.v1.Model.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.attribution = $root.fedfuse.v1.AttributionSummary.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 6: {
                            message.numExamples = reader.uint32();
                            break;
                        }
                    case 7: {
                            message.metrics = $root.fedfuse.v1.TrainingMetrics.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 8: {
                            message.records = $root.fedfuse.v1.RecordDict.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 9: {
                            message.localSteps = reader.uint32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for ClientUpdate
             * @function getTypeUrl
             * @memberof fedfuse.v1.ClientUpdate
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ClientUpdate.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.ClientUpdate";
            };

            return ClientUpdate;
        })();

        /**
         * MessageKind enum.
         * @name fedfuse.v1.MessageKind
         * @enum {number}
         * @property {number} MESSAGE_KIND_UNSPECIFIED=0 MESSAGE_KIND_UNSPECIFIED value
         * @property {number} MESSAGE_KIND_CLIENT_HELLO=1 MESSAGE_KIND_CLIENT_HELLO value
         * @property {number} MESSAGE_KIND_WELCOME=2 MESSAGE_KIND_WELCOME value
         * @property {number} MESSAGE_KIND_ROUND_TASK=3 MESSAGE_KIND_ROUND_TASK value
         * @property {number} MESSAGE_KIND_CLIENT_UPDATE=4 MESSAGE_KIND_CLIENT_UPDATE value
         * @property {number} MESSAGE_KIND_ACK=5 MESSAGE_KIND_ACK value
         * @property {number} MESSAGE_KIND_ERROR=6 MESSAGE_KIND_ERROR value
         * @property {number} MESSAGE_KIND_GLOBAL_MODEL=7 MESSAGE_KIND_GLOBAL_MODEL value
         */
        v1.MessageKind = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "MESSAGE_KIND_UNSPECIFIED"] = 0;
            values[valuesById[1] = "MESSAGE_KIND_CLIENT_HELLO"] = 1;
            values[valuesById[2] = "MESSAGE_KIND_WELCOME"] = 2;
            values[valuesById[3] = "MESSAGE_KIND_ROUND_TASK"] = 3;
            values[valuesById[4] = "MESSAGE_KIND_CLIENT_UPDATE"] = 4;
            values[valuesById[5] = "MESSAGE_KIND_ACK"] = 5;
            values[valuesById[6] = "MESSAGE_KIND_ERROR"] = 6;
            values[valuesById[7] = "MESSAGE_KIND_GLOBAL_MODEL"] = 7;
            return values;
        })();

        v1.Ack = (function() {

            /**
             * Properties of an Ack.
             * @memberof fedfuse.v1
             * @interface IAck
             * @property {string|null} [runId] Ack runId
             * @property {number|null} [round] Ack round
             * @property {fedfuse.v1.MessageKind|null} [accepted] Ack accepted
             * @property {string|null} [message] Ack message
             */

            /**
             * Constructs a new Ack.
             * @memberof fedfuse.v1
             * @classdesc Represents an Ack.
             * @implements IAck
             * @constructor
             * @param {fedfuse.v1.IAck=} [properties] Properties to set
             */
            function Ack(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Ack runId.
             * @member {string} runId
             * @memberof fedfuse.v1.Ack
             * @instance
             */
            Ack.prototype.runId = "";

            /**
             * Ack round.
             * @member {number} round
             * @memberof fedfuse.v1.Ack
             * @instance
             */
            Ack.prototype.round = 0;

            /**
             * Ack accepted.
             * @member {fedfuse.v1.MessageKind} accepted
             * @memberof fedfuse.v1.Ack
             * @instance
             */
            Ack.prototype.accepted = 0;

            /**
             * Ack message.
             * @member {string} message
             * @memberof fedfuse.v1.Ack
             * @instance
             */
            Ack.prototype.message = "";

            /**
             * Creates a new Ack instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Ack
             * @static
             * @param {fedfuse.v1.IAck=} [properties] Properties to set
             * @returns {fedfuse.v1.Ack} Ack instance
             */
            Ack.create = function create(properties) {
                return new Ack(properties);
            };

            /**
             * Encodes the specified Ack message. Does not implicitly {@link fedfuse.v1.Ack.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Ack
             * @static
             * @param {fedfuse.v1.IAck} message Ack message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ack.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.runId != null && Object.hasOwnProperty.call(message, "runId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.runId);
                if (message.round != null && Object.hasOwnProperty.call(message, "round"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.round);
                if (message.accepted != null && Object.hasOwnProperty.call(message, "accepted"))
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.accepted);
                if (message.message != null && Object.hasOwnProperty.call(message, "message"))
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.message);
                return writer;
            };

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Ack
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Ack} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ack.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.Ack();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.runId = reader.string();
                            break;
                        }
                    case 2: {
                            message.round = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.accepted = reader.int32();
                            break;
                        }
                    case 4: {
                            message.message = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Ack
             * @function getTypeUrl
             * @memberof fedfuse.v1.Ack
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Ack.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.Ack";
            };

            return Ack;
        })();

        /**
         * ErrorCode enum.
         * @name fedfuse.v1.ErrorCode
         * @enum {number}
         * @property {number} ERROR_CODE_UNSPECIFIED=0 ERROR_CODE_UNSPECIFIED value
         * @property {number} ERROR_CODE_BAD_MESSAGE=1 ERROR_CODE_BAD_MESSAGE value
         * @property {number} ERROR_CODE_UNAUTHENTICATED=2 ERROR_CODE_UNAUTHENTICATED value
         * @property {number} ERROR_CODE_WRONG_ROUND=3 ERROR_CODE_WRONG_ROUND value
         * @property {number} ERROR_CODE_SHAPE_MISMATCH=4 ERROR_CODE_SHAPE_MISMATCH value
         * @property {number} ERROR_CODE_NON_FINITE=5 ERROR_CODE_NON_FINITE value
         * @property {number} ERROR_CODE_TOO_LARGE=6 ERROR_CODE_TOO_LARGE value
         * @property {number} ERROR_CODE_DUPLICATE=7 ERROR_CODE_DUPLICATE value
         * @property {number} ERROR_CODE_NOT_SAMPLED=8 ERROR_CODE_NOT_SAMPLED value
         * @property {number} ERROR_CODE_UNKNOWN_CLIENT=9 ERROR_CODE_UNKNOWN_CLIENT value
         * @property {number} ERROR_CODE_INVALID_ARGUMENT=10 ERROR_CODE_INVALID_ARGUMENT value
         * @property {number} ERROR_CODE_UNAVAILABLE=11 ERROR_CODE_UNAVAILABLE value
         * @property {number} ERROR_CODE_INTERNAL=12 ERROR_CODE_INTERNAL value
         */
        v1.ErrorCode = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "ERROR_CODE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ERROR_CODE_BAD_MESSAGE"] = 1;
            values[valuesById[2] = "ERROR_CODE_UNAUTHENTICATED"] = 2;
            values[valuesById[3] = "ERROR_CODE_WRONG_ROUND"] = 3;
            values[valuesById[4] = "ERROR_CODE_SHAPE_MISMATCH"] = 4;
            values[valuesById[5] = "ERROR_CODE_NON_FINITE"] = 5;
            values[valuesById[6] = "ERROR_CODE_TOO_LARGE"] = 6;
            values[valuesById[7] = "ERROR_CODE_DUPLICATE"] = 7;
            values[valuesById[8] = "ERROR_CODE_NOT_SAMPLED"] = 8;
            values[valuesById[9] = "ERROR_CODE_UNKNOWN_CLIENT"] = 9;
            values[valuesById[10] = "ERROR_CODE_INVALID_ARGUMENT"] = 10;
            values[valuesById[11] = "ERROR_CODE_UNAVAILABLE"] = 11;
            values[valuesById[12] = "ERROR_CODE_INTERNAL"] = 12;
            return values;
        })();

        v1.Error = (function() {

            /**
             * Properties of an Error.
             * @memberof fedfuse.v1
             * @interface IError
             * @property {fedfuse.v1.ErrorCode|null} [code] Error code
             * @property {string|null} [message] Error message
             * @property {number|null} [round] Error round
             */

            /**
             * Constructs a new Error.
             * @memberof fedfuse.v1
             * @classdesc Represents an Error.
             * @implements IError
             * @constructor
             * @param {fedfuse.v1.IError=} [properties] Properties to set
             */
            function Error(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Error code.
             * @member {fedfuse.v1.ErrorCode} code
             * @memberof fedfuse.v1.Error
             * @instance
             */
            Error.prototype.code = 0;

            /**
             * Error message.
             * @member {string} message
             * @memberof fedfuse.v1.Error
             * @instance
             */
            Error.prototype.message = "";

            /**
             * Error round.
             * @member {number|null|undefined} round
             * @memberof fedfuse.v1.Error
             * @instance
             */
            Error.prototype.round = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Error.prototype, "_round", {
                get: $util.oneOfGetter($oneOfFields = ["round"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Error instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Error
             * @static
             * @param {fedfuse.v1.IError=} [properties] Properties to set
             * @returns {fedfuse.v1.Error} Error instance
             */
            Error.create = function create(properties) {
                return new Error(properties);
            };

            /**
             * Encodes the specified Error message. Does not implicitly {@link fedfuse.v1.Error.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Error
             * @static
             * @param {fedfuse.v1.IError} message Error message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Error.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.code != null && Object.hasOwnProperty.call(message, "code"))
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.code);
                if (message.message != null && Object.hasOwnProperty.call(message, "message"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.round != null && Object.hasOwnProperty.call(message, "round"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.round);
                return writer;
            };

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Error
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Error} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Error.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.Error();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.code = reader.int32();
                            break;
                        }
                    case 2: {
                            message.message = reader.string();
                            break;
                        }
                    case 3: {
                            message.round = reader.uint32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Error
             * @function getTypeUrl
             * @memberof fedfuse.v1.Error
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Error.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.Error";
            };

            return Error;
        })();

        v1.GlobalModel = (function() {

            /**
             * Properties of a GlobalModel.
             * @memberof fedfuse.v1
             * @interface IGlobalModel
             * @property {string|null} [runId] GlobalModel runId
             * @property {number|null} [round] GlobalModel round
             * @property {fedfuse.v1.IModel|null} [model] GlobalModel model
             * @property {boolean|null} [final] GlobalModel final
             * @property {boolean|null} [separateTrainingModel] GlobalModel separateTrainingModel
             */

            /**
             * Constructs a new GlobalModel.
             * @memberof fedfuse.v1
             * @classdesc Represents a GlobalModel.
             * @implements IGlobalModel
             * @constructor
             * @param {fedfuse.v1.IGlobalModel=} [properties] Properties to set
             */
            function GlobalModel(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * GlobalModel runId.
             * @member {string} runId
             * @memberof fedfuse.v1.GlobalModel
             * @instance
             */
            GlobalModel.prototype.runId = "";

            /**
             * GlobalModel round.
             * @member {number} round
             * @memberof fedfuse.v1.GlobalModel
             * @instance
             */
            GlobalModel.prototype.round = 0;

            /**
             * GlobalModel model.
             * @member {fedfuse.v1.IModel|null|undefined} model
             * @memberof fedfuse.v1.GlobalModel
             * @instance
             */
            GlobalModel.prototype.model = null;

            /**
             * GlobalModel final.
             * @member {boolean} final
             * @memberof fedfuse.v1.GlobalModel
             * @instance
             */
            GlobalModel.prototype.final = false;

            /**
             * GlobalModel separateTrainingModel.
             * @member {boolean} separateTrainingModel
             * @memberof fedfuse.v1.GlobalModel
             * @instance
             */
            GlobalModel.prototype.separateTrainingModel = false;

            /**
             * Creates a new GlobalModel instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.GlobalModel
             * @static
             * @param {fedfuse.v1.IGlobalModel=} [properties] Properties to set
             * @returns {fedfuse.v1.GlobalModel} GlobalModel instance
             */
            GlobalModel.create = function create(properties) {
                return new GlobalModel(properties);
            };

            /**
             * Encodes the specified GlobalModel message. Does not implicitly {@link fedfuse.v1.GlobalModel.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.GlobalModel
             * @static
             * @param {fedfuse.v1.IGlobalModel} message GlobalModel message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GlobalModel.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.runId != null && Object.hasOwnProperty.call(message, "runId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.runId);
                if (message.round != null && Object.hasOwnProperty.call(message, "round"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.round);
                if (message.model != null && Object.hasOwnProperty.call(message, "model"))
                    $root.fedfuse.v1.Model.encode(message.model, writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (message.final != null && Object.hasOwnProperty.call(message, "final"))
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.final);
                if (message.separateTrainingModel != null && Object.hasOwnProperty.call(message, "separateTrainingModel"))
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.separateTrainingModel);
                return writer;
            };

            /**
             * Decodes a GlobalModel message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.GlobalModel
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.GlobalModel} GlobalModel
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GlobalModel.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.GlobalModel();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.runId = reader.string();
                            break;
                        }
                    case 2: {
                            message.round = reader.uint32();
                            break;
                        }
                    case 3: {
                            message.model = $root.fedfuse.v1.Model.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 4: {
                            message.final = reader.bool();
                            break;
                        }
                    case 5: {
                            message.separateTrainingModel = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for GlobalModel
             * @function getTypeUrl
             * @memberof fedfuse.v1.GlobalModel
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GlobalModel.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.GlobalModel";
            };

            return GlobalModel;
        })();

        v1.Envelope = (function() {

            /**
             * Properties of an Envelope.
             * @memberof fedfuse.v1
             * @interface IEnvelope
             * @property {number|null} [protocolVersion] Envelope protocolVersion
             * @property {fedfuse.v1.IClientHello|null} [clientHello] Envelope clientHello
             * @property {fedfuse.v1.IWelcome|null} [welcome] Envelope welcome
             * @property {fedfuse.v1.IRoundTask|null} [roundTask] Envelope roundTask
             * @property {fedfuse.v1.IClientUpdate|null} [clientUpdate] Envelope clientUpdate
             * @property {fedfuse.v1.IAck|null} [ack] Envelope ack
             * @property {fedfuse.v1.IError|null} [error] Envelope error
             * @property {fedfuse.v1.IGlobalModel|null} [globalModel] Envelope globalModel
             */

            /**
             * Constructs a new Envelope.
             * @memberof fedfuse.v1
             * @classdesc Represents an Envelope.
             * @implements IEnvelope
             * @constructor
             * @param {fedfuse.v1.IEnvelope=} [properties] Properties to set
             */
            function Envelope(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Envelope protocolVersion.
             * @member {number} protocolVersion
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.protocolVersion = 0;

            /**
             * Envelope clientHello.
             * @member {fedfuse.v1.IClientHello|null|undefined} clientHello
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.clientHello = null;

            /**
             * Envelope welcome.
             * @member {fedfuse.v1.IWelcome|null|undefined} welcome
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.welcome = null;

            /**
             * Envelope roundTask.
             * @member {fedfuse.v1.IRoundTask|null|undefined} roundTask
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.roundTask = null;

            /**
             * Envelope clientUpdate.
             * @member {fedfuse.v1.IClientUpdate|null|undefined} clientUpdate
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.clientUpdate = null;

            /**
             * Envelope ack.
             * @member {fedfuse.v1.IAck|null|undefined} ack
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.ack = null;

            /**
             * Envelope error.
             * @member {fedfuse.v1.IError|null|undefined} error
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.error = null;

            /**
             * Envelope globalModel.
             * @member {fedfuse.v1.IGlobalModel|null|undefined} globalModel
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Envelope.prototype.globalModel = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Envelope body.
             * @member {"clientHello"|"welcome"|"roundTask"|"clientUpdate"|"ack"|"error"|"globalModel"|undefined} body
             * @memberof fedfuse.v1.Envelope
             * @instance
             */
            Object.defineProperty(Envelope.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["clientHello", "welcome", "roundTask", "clientUpdate", "ack", "error", "globalModel"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Envelope instance using the specified properties.
             * @function create
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {fedfuse.v1.IEnvelope=} [properties] Properties to set
             * @returns {fedfuse.v1.Envelope} Envelope instance
             */
            Envelope.create = function create(properties) {
                return new Envelope(properties);
            };

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link fedfuse.v1.Envelope.verify|verify} messages.
             * @function encode
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {fedfuse.v1.IEnvelope} message Envelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.protocolVersion != null && Object.hasOwnProperty.call(message, "protocolVersion"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                if (message.clientHello != null && Object.hasOwnProperty.call(message, "clientHello"))
                    $root.fedfuse.v1.ClientHello.encode(message.clientHello, writer.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                if (message.welcome != null && Object.hasOwnProperty.call(message, "welcome"))
                    $root.fedfuse.v1.Welcome.encode(message.welcome, writer.uint32(/* id 11, wireType 2 =*/90).fork(), q + 1).ldelim();
                if (message.roundTask != null && Object.hasOwnProperty.call(message, "roundTask"))
                    $root.fedfuse.v1.RoundTask.encode(message.roundTask, writer.uint32(/* id 12, wireType 2 =*/98).fork(), q + 1).ldelim();
                if (message.clientUpdate != null && Object.hasOwnProperty.call(message, "clientUpdate"))
                    $root.fedfuse.v1.ClientUpdate.encode(message.clientUpdate, writer.uint32(/* id 13, wireType 2 =*/106).fork(), q + 1).ldelim();
                if (message.ack != null && Object.hasOwnProperty.call(message, "ack"))
                    $root.fedfuse.v1.Ack.encode(message.ack, writer.uint32(/* id 14, wireType 2 =*/114).fork(), q + 1).ldelim();
                if (message.error != null && Object.hasOwnProperty.call(message, "error"))
                    $root.fedfuse.v1.Error.encode(message.error, writer.uint32(/* id 15, wireType 2 =*/122).fork(), q + 1).ldelim();
                if (message.globalModel != null && Object.hasOwnProperty.call(message, "globalModel"))
                    $root.fedfuse.v1.GlobalModel.encode(message.globalModel, writer.uint32(/* id 16, wireType 2 =*/130).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @function decode
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedfuse.v1.Envelope} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.fedfuse.v1.Envelope();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.protocolVersion = reader.uint32();
                            break;
                        }
                    case 10: {
                            message.clientHello = $root.fedfuse.v1.ClientHello.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 11: {
                            message.welcome = $root.fedfuse.v1.Welcome.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 12: {
                            message.roundTask = $root.fedfuse.v1.RoundTask.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 13: {
                            message.clientUpdate = $root.fedfuse.v1.ClientUpdate.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 14: {
                            message.ack = $root.fedfuse.v1.Ack.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 15: {
                            message.error = $root.fedfuse.v1.Error.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 16: {
                            message.globalModel = $root.fedfuse.v1.GlobalModel.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Gets the default type url for Envelope
             * @function getTypeUrl
             * @memberof fedfuse.v1.Envelope
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Envelope.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/fedfuse.v1.Envelope";
            };

            return Envelope;
        })();

        return v1;
    })();

    return fedfuse;
})();

export { $root as default };
