#include <memory>
#include <string>
#include "shape.h"

using namespace std;

namespace geo {

/// Anything with an area.
class Shape {
public:
    virtual ~Shape() = default;
    virtual double area() const = 0;
};

// A circle.
class Circle : public Shape {
public:
    explicit Circle(double r) : radius(r) {}
    double area() const override { return 3.14159 * radius * radius; }
    static unique_ptr<Circle> unit();

private:
    double radius;
};

template <typename T>
T twice(T value) {
    return value + value;
}

using Area = double;

}  // namespace geo

unique_ptr<geo::Circle> geo::Circle::unit() {
    return make_unique<Circle>(1.0);
}

int main() {
    auto c = geo::Circle::unit();
    geo::Area a = geo::twice(c->area());
    return a > 0 ? 0 : 1;
}
