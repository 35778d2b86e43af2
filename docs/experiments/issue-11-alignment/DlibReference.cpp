// Development check (not built): dlib 19.24's own shape_predictor on the grey images and integer boxes DlibCheck wrote;
// g++ -O2 -o /tmp/dlibref DlibReference.cpp -ldlib -lopenblas  (Debian libdlib-dev)
#include <dlib/image_processing.h>
#include <dlib/array2d.h>
#include <fstream>
#include <iostream>
#include <string>
static unsigned be32(std::istream& in) { unsigned char b[4]; in.read((char*)b, 4); return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]; }
int main(int argc, char** argv) {
    dlib::shape_predictor sp;
    dlib::deserialize(argv[1]) >> sp;
    std::ifstream boxes(argv[2]);
    std::string raw; long l, t, r, b;
    while (boxes >> raw >> l >> t >> r >> b) {
        std::ifstream in(raw, std::ios::binary);
        unsigned w = be32(in), h = be32(in);
        dlib::array2d<unsigned char> img(h, w);
        for (unsigned y = 0; y < h; y++) in.read((char*)&img[y][0], w);
        dlib::full_object_detection s = sp(img, dlib::rectangle(l, t, r, b));
        std::cout << raw << " " << l << " " << t << " " << r << " " << b;
        for (unsigned i = 0; i < s.num_parts(); i++) std::cout << " " << s.part(i).x() << " " << s.part(i).y();
        std::cout << "\n";
    }
}
