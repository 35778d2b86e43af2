// dlib's own forward pass of dlib_face_recognition_resnet_model_v1.dat on given 150x150 chips (development check of
// the Java float net; not built). Usage: DlibDescriptor <dat> <chip.png>... ; prints "<file> <128 raw values>" per chip.
// The net type mirrors the layers the file holds (DlibFloatCheck lists them): a 7x7/2 conv, affine, relu, 3x3/2 max
// pool, residual blocks of two 3x3 convs each followed by an affine (the down blocks: first conv stride 2, shortcut a
// 2x2/2 average pool), global average pool, fc without bias, metric loss.
#include <dlib/dnn.h>
#include <dlib/image_io.h>
#include <iostream>

using namespace dlib;

template <long N, int S, typename SUB> using conv_aff = affine<con<N, 3, 3, S, S, SUB>>;
template <long N, int S, typename SUB> using two_convs = conv_aff<N, 1, relu<conv_aff<N, S, SUB>>>;
template <long N, typename SUB> using res = relu<add_prev1<two_convs<N, 1, tag1<SUB>>>>;
template <long N, typename SUB> using res_down = relu<add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<two_convs<N, 2, tag1<SUB>>>>>>>;

using net_type = loss_metric<fc_no_bias<128, avg_pool_everything<
    res_down<256, res<256, res<256, res_down<256,
    res<128, res<128, res_down<128,
    res<64, res<64, res<64, res_down<64,
    res<32, res<32, res<32,
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>
    >>>>>>>>>>>>>>>>>;

int main(int argc, char** argv) {
    net_type net;
    deserialize(argv[1]) >> net;
    std::vector<matrix<rgb_pixel>> chips;
    for (int i = 2; i < argc; i++) {
        matrix<rgb_pixel> img;
        load_image(img, argv[i]);
        chips.push_back(std::move(img));
    }
    std::vector<matrix<float, 0, 1>> out = net(chips);
    std::cout.precision(9);
    for (size_t i = 0; i < out.size(); i++) {
        std::cout << argv[i + 2];
        for (long j = 0; j < out[i].size(); j++) std::cout << ' ' << out[i](j);
        std::cout << '\n';
    }
}
