/// A dense float32 tensor in row-major order: what goes in and out of the models.
public struct Tensor: Sendable, Equatable {
    public let shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }

    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    public var count: Int { values.count }
}

/// Name, element type and shape of a model input or output. Dynamic dimensions are -1 (with the
/// symbolic name the model gives them, if any).
public struct TensorInfo: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let elementType: TensorElementType
    public let shape: [Int64]
    public let dimensionNames: [String]

    public var isDynamic: Bool { shape.contains { $0 < 0 } }

    public var description: String {
        let dims = zip(shape, dimensionNames).map { $0 >= 0 ? String($0) : ($1.isEmpty ? "?" : $1) }
        return "\(name) \(elementType)[\(dims.joined(separator: ","))]"
    }

    public init(name: String, elementType: TensorElementType, shape: [Int64], dimensionNames: [String]) {
        self.name = name; self.elementType = elementType; self.shape = shape; self.dimensionNames = dimensionNames
    }
}
