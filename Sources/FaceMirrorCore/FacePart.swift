/// A named part of the face (brows, eyes, nose, mouth) as indices of a landmark layout.
public struct FacePart: Sendable, Equatable {
    public let name: String
    public let points: [Int]

    public init(name: String, points: [Int]) {
        self.name = name
        self.points = points
    }
}
