#include <string>
// <- keyword.directive
#include <vector>

namespace shapes {
// <- keyword.control.import
//        ^ namespace

/// Anything that has an area.
// <- comment.documentation
class Shape {
// <- keyword.storage.type
//    ^ type
public:
// <- keyword.storage.modifier
    virtual ~Shape() = default;
    // <- keyword.storage.modifier
    virtual double area() const = 0;
    //      ^ type.builtin
    //             ^ function.method
};

template <typename T>
// <- keyword.storage.type
//        ^ keyword.storage.type
class Square final : public Shape {
public:
    explicit Square(T side) : side_(side) {}
    //                ^ variable.parameter
    double area() const override { return side_ * side_; }
    //                  ^ keyword.storage.modifier
    //                                    ^ variable
private:
    T side_;
//    ^ variable.other.member
};

}  // namespace shapes
// ^ comment

int main() {
    std::vector<std::unique_ptr<shapes::Shape>> all;
    // <- namespace
    //   ^ type
    all.push_back(std::make_unique<shapes::Square<int>>(3));
    //  ^ function.method
    //                 ^ function
    for (const auto& shape : all) {
    // <- keyword.control.repeat
    //         ^ type.builtin
        if (shape == nullptr) throw std::runtime_error("empty");
        //           ^ constant.builtin
        //                    ^ keyword.control.exception
    }
    auto total = 0.0;
    return total > 1.5 ? 0 : 1;
    //                 ^ operator
}
