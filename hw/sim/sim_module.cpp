// sim_module.cpp: SoapySDR module glue for the simulated device (driver "cellsurvey-sim").
// C++ only because SoapySDR's module ABI is a C++ class and a static Registry object; every
// decision is made in sim_device.c (see sim.h for the device args).
#include <SoapySDR/Device.hpp>
#include <SoapySDR/Formats.hpp>
#include <SoapySDR/Registry.hpp>
#include <SoapySDR/Version.h>

#include <stdexcept>
#include <string>

#include "sim.h"

namespace {

class SimDevice : public SoapySDR::Device {
 public:
  explicit SimDevice(const SoapySDR::Kwargs &args) {
    char err[512];
    d_ = sim_open(SoapySDR::KwargsToString(args).c_str(), err, sizeof err);
    if (!d_) throw std::runtime_error(err);
  }
  ~SimDevice() override { sim_close(d_); }

  std::string getDriverKey() const override { return "cellsurvey-sim"; }
  std::string getHardwareKey() const override { return "cellsurvey-sim"; }
  SoapySDR::Kwargs getHardwareInfo() const override {
    return {{"serial", sim_serial(d_)}, {"scene", sim_scene_dir(d_)}};
  }
  size_t getNumChannels(const int dir) const override { return dir == SOAPY_SDR_RX ? 1 : 0; }

  std::vector<std::string> getStreamFormats(const int, const size_t) const override {
    return {SOAPY_SDR_CF32};
  }
  std::string getNativeStreamFormat(const int, const size_t, double &fullScale) const override {
    fullScale = 1.0;
    return SOAPY_SDR_CF32;
  }
  SoapySDR::Stream *setupStream(const int dir, const std::string &format,
                                const std::vector<size_t> &channels,
                                const SoapySDR::Kwargs &) override {
    if (dir != SOAPY_SDR_RX) throw std::runtime_error("cellsurvey-sim: receive only");
    if (format != SOAPY_SDR_CF32) throw std::runtime_error("cellsurvey-sim: only CF32 streams");
    if (channels.size() > 1 || (channels.size() == 1 && channels[0] != 0))
      throw std::runtime_error("cellsurvey-sim: one channel (0)");
    return reinterpret_cast<SoapySDR::Stream *>(d_);
  }
  void closeStream(SoapySDR::Stream *) override { sim_activate(d_, 0); }
  size_t getStreamMTU(SoapySDR::Stream *) const override { return SIM_MTU; }
  int activateStream(SoapySDR::Stream *, const int, const long long, const size_t) override {
    sim_activate(d_, 1);
    return 0;
  }
  int deactivateStream(SoapySDR::Stream *, const int, const long long) override {
    sim_activate(d_, 0);
    return 0;
  }
  int readStream(SoapySDR::Stream *, void *const *buffs, const size_t numElems, int &flags,
                 long long &timeNs, const long timeoutUs) override {
    flags = SOAPY_SDR_HAS_TIME;
    return sim_read(d_, static_cast<float *>(buffs[0]), numElems, timeoutUs, &timeNs);
  }

  std::vector<std::string> listAntennas(const int, const size_t) const override { return {"RX"}; }
  void setAntenna(const int, const size_t, const std::string &name) override {
    if (name != "RX") throw std::runtime_error("cellsurvey-sim: no antenna " + name);
  }
  std::string getAntenna(const int, const size_t) const override { return "RX"; }

  bool hasGainMode(const int, const size_t) const override { return false; }
  std::vector<std::string> listGains(const int, const size_t) const override { return {"RF"}; }
  void setGain(const int, const size_t, const double value) override { sim_set_gain(d_, value); }
  void setGain(const int, const size_t, const std::string &, const double value) override {
    sim_set_gain(d_, value);
  }
  double getGain(const int, const size_t) const override { return sim_get_gain(d_); }
  double getGain(const int, const size_t, const std::string &) const override {
    return sim_get_gain(d_);
  }
  SoapySDR::Range getGainRange(const int, const size_t) const override {
    return SoapySDR::Range(0, 60, 1);
  }
  SoapySDR::Range getGainRange(const int, const size_t, const std::string &) const override {
    return SoapySDR::Range(0, 60, 1);
  }

  void setFrequency(const int, const size_t, const double f, const SoapySDR::Kwargs &) override {
    sim_set_freq(d_, f);
  }
  void setFrequency(const int, const size_t, const std::string &, const double f,
                    const SoapySDR::Kwargs &) override {
    sim_set_freq(d_, f);
  }
  double getFrequency(const int, const size_t) const override { return sim_get_freq(d_); }
  double getFrequency(const int, const size_t, const std::string &) const override {
    return sim_get_freq(d_);
  }
  std::vector<std::string> listFrequencies(const int, const size_t) const override { return {"RF"}; }
  SoapySDR::RangeList getFrequencyRange(const int, const size_t) const override {
    return {SoapySDR::Range(1e6, 6e9)};
  }
  SoapySDR::RangeList getFrequencyRange(const int, const size_t, const std::string &) const override {
    return {SoapySDR::Range(1e6, 6e9)};
  }

  void setSampleRate(const int, const size_t, const double rate) override {
    if (sim_set_rate(d_, rate) != 0)
      throw std::runtime_error("cellsurvey-sim: sample rate " + std::to_string(rate) + " out of range");
  }
  double getSampleRate(const int, const size_t) const override { return sim_get_rate(d_); }
  std::vector<double> listSampleRates(const int, const size_t) const override {
    return {1.92e6, 2e6, 3.84e6, 5e6, 7.68e6, 10e6, 15.36e6, 20e6, 23.04e6, 30.72e6, 61.44e6};
  }
  SoapySDR::RangeList getSampleRateRange(const int, const size_t) const override {
    return {SoapySDR::Range(SIM_MIN_RATE, SIM_MAX_RATE)};
  }
  void setBandwidth(const int, const size_t, const double bw) override { sim_set_bandwidth(d_, bw); }
  double getBandwidth(const int, const size_t) const override { return sim_get_bandwidth(d_); }
  SoapySDR::RangeList getBandwidthRange(const int, const size_t) const override {
    return {SoapySDR::Range(0.2e6, SIM_MAX_RATE)};
  }

  SoapySDR::ArgInfoList getSettingInfo() const override {
    SoapySDR::ArgInfo a;
    a.key = "settle_time";
    a.name = "Retune settle time";
    a.description = "seconds of transient after each retune (read only)";
    a.type = SoapySDR::ArgInfo::FLOAT;
    return {a};
  }
  std::string readSetting(const std::string &key) const override {
    if (key == "settle_time") return std::to_string(sim_settle_s(d_));
    return "";
  }

 private:
  sim_dev *d_;
};

SoapySDR::KwargsList findSim(const SoapySDR::Kwargs &args) {
  char serial[64], scene[4096];
  if (!sim_find(SoapySDR::KwargsToString(args).c_str(), serial, sizeof serial, scene, sizeof scene))
    return {};
  SoapySDR::Kwargs dev = args; /* keep the fault options so make() sees them */
  dev["serial"] = serial;
  if (scene[0]) dev["scene"] = scene;
  else dev.erase("scene");
  dev["label"] = std::string("cellsurvey simulated SDR ") + serial;
  return {dev};
}

SoapySDR::Device *makeSim(const SoapySDR::Kwargs &args) { return new SimDevice(args); }

SoapySDR::Registry registerSim("cellsurvey-sim", &findSim, &makeSim, SOAPY_SDR_ABI_VERSION);

}  // namespace
